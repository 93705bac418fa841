# String methods as TorchScript lowers them (aten::strip, aten::split.str, ...): (name, signature, body, inputs).

S = "  Hello, World\t\n"

CASES = [
    ("strip", "s: str", "return s.strip()", [S]),
    ("strip chars", "s: str", 'return s.strip("xy")', ["xxhixyy"]),
    ("lstrip rstrip", "s: str", "return s.lstrip(), s.rstrip()", [S]),
    ("split whitespace", "s: str", "return s.split()", ["a b  \tc\n"]),
    ("split empty", "s: str", "return s.split()", ["   "]),
    ("split sep", "s: str", 'return s.split(",")', ["a,b,,c"]),
    ("split max", "s: str", 'return s.split(",", 1)', ["a,b,,c"]),
    ("split multi-char sep", "s: str", 'return s.split("--")', ["a--b----c"]),
    ("split max whitespace", "s: str", "return s.split(None, 1)", ["  a b c "]),
    ("rsplit", "s: str", 'return s.rsplit(",", 1)', ["a,b,c"]),
    ("splitlines", "s: str", "return s.splitlines(), s.splitlines(True)", ["a\nb\r\nc"]),
    ("replace", "s: str", 'return s.replace("l", "L")', ["hello world"]),
    ("replace max", "s: str", 'return s.replace("l", "L", 2)', ["hello world"]),
    ("ord chr", "s: str", "return ord(s), chr(ord(s) + 1)", ["a"]),
    ("ord of two chars", "s: str", "return ord(s)", ["ab"]),
    ("sorted str list", "l: List[str]", "return sorted(l)", [["pear", "apple", "Banana", "apple2"]]),
    ("list sort str", "l: List[str]", "l.sort(reverse=True)\nreturn l", [["b", "c", "a"]]),
    ("find rfind", "s: str", 'return s.find("o"), s.rfind("o"), s.find("o", 5), s.find("z")', ["hello world"]),
    ("find end", "s: str", 'return s.find("o", 0, 5), s.find("d", 0, -2), s.find("d", -3)', ["hello world"]),
    ("count", "s: str", 'return s.count("l"), s.count("l", 3)', ["hello world"]),
    ("index", "s: str", 'return s.index("w"), s.rindex("o")', ["hello world"]),
    ("index missing", "s: str", 'return s.index("z")', ["hello world"]),
    ("startswith endswith", "s: str", 'return s.startswith("he"), s.endswith("ld"), s.startswith("lo", 3), s.endswith("lo", 0, 5)', ["hello world"]),
    ("case", "s: str", "return s.lower(), s.upper(), s.swapcase(), s.title(), s.capitalize()", ["hEllo wORLD 1x"]),
    ("is predicates", "s: str", "return s.isdigit(), s.isalpha(), s.isalnum(), s.isspace(), s.islower(), s.isupper(), s.istitle()", ["Hello"]),
    ("is predicates digits", "s: str", "return s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalnum(), s.isidentifier(), s.isprintable()", ["123"]),
    ("is predicates empty", "s: str", "return s.isdigit(), s.isalpha(), s.isspace(), s.islower(), s.istitle(), s.isidentifier()", [""]),
    ("justify", "s: str", 'return s.ljust(6, "*"), s.rjust(6), s.center(7, "-"), s.zfill(5)', ["ab"]),
    ("zfill sign", "s: str", "return s.zfill(5)", ["-12"]),
    ("partition", "s: str", 'return s.partition("="), s.rpartition("="), s.partition("#")', ["a=b=c"]),
    ("expandtabs", "s: str", "return s.expandtabs(), s.expandtabs(4)", ["a\tbc\td"]),
    ("join", "l: List[str]", 'return "-".join(l)', [["a", "b", "c"]]),
    ("slice and index", "s: str", "return s[1:4], s[::-1], s[-2], s[::2]", ["abcdefg"]),
    ("concat and repeat", "a: str, b: str", "return a + b", ["ab", "cd"]),
    ("in and compare", "a: str, b: str", "return a in b, a < b, a == b, a != b", ["ell", "hello"]),
    ("len and int float", "s: str", "return len(s), int(s), float(s)", ["42"]),
    ("format", "s: str, x: int, y: float", 'return "{}-{}-{}".format(s, x, y)', ["a", 3, 2.5]),
    ("str of list", "l: List[int]", "return str(l)", [[1, 2, 3]]),
    ("tokenize loop", "s: str", """
out: List[int] = []
for w in s.lower().strip().split(" "):
    if w != "":
        out.append(len(w))
return out""", [" The quick  Brown fox "]),
    ("char codes", "s: str", """
out: List[int] = []
for c in s:
    out.append(ord(c) - ord("a"))
return out""", ["hello"]),
    ("dict vocab lookup", "s: str, vocab: Dict[str, int]", """
ids: List[int] = []
for w in s.split():
    ids.append(vocab.get(w, -1))
return ids""", ["a b z a", {"a": 1, "b": 2}]),
]
