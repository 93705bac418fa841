// Zip record signatures, sizes and flags shared by the archive reader and writer (PKWARE APPNOTE 6.3).

/** Local file header `PK\x03\x04`. */
export const LOCAL_HEADER_SIG = 0x04034b50;
/** Central directory file header `PK\x01\x02`. */
export const CENTRAL_HEADER_SIG = 0x02014b50;
/** End of central directory record `PK\x05\x06`. */
export const EOCD_SIG = 0x06054b50;
/** Zip64 end of central directory record `PK\x06\x06`. */
export const ZIP64_EOCD_SIG = 0x06064b50;
/** Zip64 end of central directory locator `PK\x06\x07`. */
export const ZIP64_LOCATOR_SIG = 0x07064b50;
/** Data descriptor `PK\x07\x08` (optional signature before crc and sizes). */
export const DATA_DESCRIPTOR_SIG = 0x08074b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const EOCD_SIZE = 22;
export const ZIP64_EOCD_SIZE = 56;
export const ZIP64_LOCATOR_SIZE = 20;
/** The EOCD comment is at most 65535 bytes, so the record sits in the last 65557 bytes. */
export const EOCD_SEARCH_SPAN = EOCD_SIZE + 0xffff;

/** Compression methods PyTorch archives use. */
export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;

/** General purpose flag bits. */
export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_UTF8 = 0x0800;

/** Extra field ids: zip64 sizes, and the 'FB' padding field PyTorch uses to align entry data. */
export const EXTRA_ZIP64 = 0x0001;
export const EXTRA_PADDING_FB = 0x4246;

/** PyTorch aligns the start of every entry's data to this many bytes (so storages can be mmapped). */
export const DATA_ALIGNMENT = 64;

/** The largest value a 32-bit size field holds before zip64 takes over. */
export const MAX_32 = 0xffffffff;
