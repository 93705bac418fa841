#!/usr/bin/python3
"""Writes what Python + PyTorch 1.13 see in the fixtures' pickles, for tsfreeze's unpickler tests.

For every test/fixtures/<case>/{module,frozen}.pt it records the zip entries (name, method, size, CRC)
and the decoded data.pkl and constants.pkl, unpickled by Python's own pickle machinery with PyTorch's
real tensor rebuilder over storages read from the archive. It also writes a few extra inputs made by
Python itself (a torch.save archive, one pickle per protocol 0-5) with their decoded form.

Output: test/fixtures/_pickle_expected/*.json (+ extra inputs). Run with Debian's python:
    /usr/bin/python3 scripts/extract-pickle-expectations.py
The JSON encoding (shared with test/serialization/pickle-expected.ts):
    None/bool/str as JSON; int {"int": "<decimal>"}; float {"float": x | "nan" | "inf" | "-inf"};
    bytes {"bytes": "<hex>"}; tuple {"tuple": [...]}; list {"list": [...], "tag"?}; dict {"dict": [[k, v]...], "tag"?};
    __torch__ object {"object": "<qualified class>", "state"?: ..., "args"?: [...]}; torch.device {"device": "cpu"};
    tensor {"tensor": {dtype, shape, stride, offset, storage, storage_numel, requires_grad, numel, head, sum}}.
"""

import collections
import io
import json
import math
import os
import pickle
import sys
import zipfile

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
FIXTURES = os.path.join(ROOT, 'test', 'fixtures')
OUT = os.path.join(FIXTURES, '_pickle_expected')
HEAD = 8  # leading elements of each tensor recorded exactly

_tags = {}  # id(list or dict) -> TorchScript type tag
_keep = []  # keeps tagged objects alive so their ids stay unique


def _tag(value, tag):
    _tags[id(value)] = tag
    _keep.append(value)
    return value


class TSObject:
    """An instance of a __torch__ class: its qualified name, NEWOBJ args and BUILD state."""

    qualname = ''

    def __new__(cls, *args):
        obj = object.__new__(cls)
        obj.args = args
        obj.has_state = False
        return obj

    def __setstate__(self, state):
        self.state = state
        self.has_state = True


_classes = {}


def _torch_class(module, name):
    key = module + '.' + name
    if key not in _classes:
        _classes[key] = type(name, (TSObject,), {'qualname': key})
    return _classes[key]


JIT_PICKLE = {
    'build_intlist': lambda l: _tag(l, 'List[int]'),
    'build_tensorlist': lambda l: _tag(l, 'List[Tensor]'),
    'build_doublelist': lambda l: _tag(l, 'List[float]'),
    'build_boollist': lambda l: _tag(l, 'List[bool]'),
    'build_genericlist': lambda l: l,
    'restore_type_tag': lambda v, t: _tag(v, t) if isinstance(v, (list, dict)) else v,
}


class FixtureUnpickler(pickle.Unpickler):
    """Python's unpickler, resolving PyTorch's globals and loading storages from the archive."""

    def __init__(self, data, zf, folder):
        super().__init__(io.BytesIO(data))
        self.zf = zf
        self.folder = folder
        self.storages = {}

    def find_class(self, module, name):
        if module == '__torch__' or module.startswith('__torch__.'):
            return _torch_class(module, name)
        if module == 'torch.jit._pickle':
            return JIT_PICKLE[name]
        if module == 'collections' and name == 'OrderedDict':
            return collections.OrderedDict
        if module == 'torch._utils' and name in ('_rebuild_tensor_v2', '_rebuild_tensor', '_rebuild_parameter'):
            return getattr(torch._utils, name)
        if module == 'torch' and (name.endswith('Storage') or name in ('device', 'Size')):
            return getattr(torch, name)
        if module == '_codecs' and name == 'encode':
            import _codecs
            return _codecs.encode
        raise pickle.UnpicklingError('forbidden global %s.%s' % (module, name))

    def persistent_load(self, pid):
        kind, storage_type, key, location, numel = pid
        assert kind == 'storage'
        if key not in self.storages:
            raw = self.zf.read(self.folder + key)
            dtype = storage_type.dtype
            size = numel * torch.empty(0, dtype=dtype).element_size()
            t = torch.frombuffer(bytearray(raw[:size]), dtype=dtype) if size else torch.empty(0, dtype=dtype)
            self.storages[key] = (t.storage(), key)
        storage, key = self.storages[key]
        return storage


def _storage_key(tensor, unpickler):
    for key, (storage, _) in unpickler.storages.items():
        if storage.data_ptr() == tensor.storage().data_ptr() and storage.dtype == tensor.dtype:
            return key, storage.size()
    raise AssertionError('tensor storage not found')


def _element(value, dtype):
    if dtype == torch.bool:
        return bool(value)
    if dtype.is_floating_point:
        return encode_float(float(value))
    return str(int(value))


def encode_float(x):
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def encode(value, unpickler=None):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return {'int': str(value)}
    if isinstance(value, float):
        return {'float': encode_float(value)}
    if isinstance(value, (bytes, bytearray)):
        return {'bytes': bytes(value).hex()}
    if isinstance(value, tuple):
        return {'tuple': [encode(v, unpickler) for v in value]}
    if isinstance(value, list):
        out = {'list': [encode(v, unpickler) for v in value]}
        if id(value) in _tags:
            out['tag'] = _tags[id(value)]
        return out
    if isinstance(value, dict):
        out = {'dict': [[encode(k, unpickler), encode(v, unpickler)] for k, v in value.items()]}
        if id(value) in _tags:
            out['tag'] = _tags[id(value)]
        return out
    if isinstance(value, TSObject):
        out = {'object': value.qualname}
        if value.has_state:
            out['state'] = encode(value.state, unpickler)
        if value.args:
            out['args'] = [encode(v, unpickler) for v in value.args]
        return out
    if isinstance(value, torch.device):
        return {'device': str(value)}
    if isinstance(value, torch.Tensor):
        key, storage_numel = _storage_key(value, unpickler)
        flat = value.detach().reshape(-1)
        return {'tensor': {
            'dtype': str(value.dtype).replace('torch.', ''),
            'shape': list(value.shape),
            'stride': list(value.stride()),
            'offset': value.storage_offset(),
            'storage': key,
            'storage_numel': storage_numel,
            'requires_grad': value.requires_grad,
            'numel': value.numel(),
            'head': [_element(v, value.dtype) for v in flat[:HEAD].tolist()],
            'sum': encode_float(float(value.detach().double().sum())) if value.dtype != torch.bool
            else float(value.sum()),
        }}
    raise TypeError('cannot encode %r' % type(value))


def describe_archive(path):
    zf = zipfile.ZipFile(path)
    folder = zf.namelist()[0].split('/')[0] + '/'
    out = {'folder': folder[:-1], 'entries': [
        [i.filename, i.compress_type, i.file_size, i.CRC] for i in zf.infolist()]}
    for name, records in (('data.pkl', 'data/'), ('constants.pkl', 'constants/')):
        unpickler = FixtureUnpickler(zf.read(folder + name), zf, folder + records)
        out[name] = encode(unpickler.load(), unpickler)
    return out


def write_json(name, value):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(value, f, sort_keys=True, separators=(',', ':'))
        f.write('\n')


def extra_inputs():
    """Inputs Python writes itself: a torch.save archive and plain pickles in every protocol."""
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 2)
    base = torch.arange(12, dtype=torch.float32)
    obj = {
        'state_dict': lin.state_dict(),
        'param': torch.nn.Parameter(torch.ones(2, 2)),
        'view_a': base[2:8].view(2, 3),
        'view_b': base.view(3, 4).t(),
        'ints': torch.tensor([-(2 ** 63), -1, 0, 2 ** 62], dtype=torch.int64),
        'half': torch.tensor([1.5, -2.25, 65504.0], dtype=torch.float16),
        'flags': torch.tensor([True, False, True]),
        'scalar': torch.tensor(3.5, dtype=torch.float64),
        'empty': torch.zeros(0, 4),
        'numbers': (-5, 2 ** 70, -(2 ** 63), 1.0, float('inf'), -0.0),
        'text': 'héllo ☃',
        'raw': b'ab\x00\xff',
        'device': torch.device('cpu'),
    }
    path = os.path.join(OUT, 'torch_save.pt')
    torch.save(obj, path)
    zf = zipfile.ZipFile(path)
    folder = zf.namelist()[0].split('/')[0] + '/'
    unpickler = FixtureUnpickler(zf.read(folder + 'data.pkl'), zf, folder + 'data/')
    write_json('torch_save.json', {'data.pkl': encode(unpickler.load(), unpickler)})

    plain = collections.OrderedDict([
        ('none', None), ('t', True), ('f', False),
        ('ints', [0, 1, 255, 256, 65535, 65536, -1, -129, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 64, -(2 ** 100), 10 ** 40]),
        ('floats', [0.0, -0.0, 1.5, 1e-300, 1e300, float('inf'), float('-inf')]),
        ('text', ['', 'a', 'line\nbreak', 'back\\slash', 'quote\'"', 'ünï', '☃', '\U0001f600', 'x' * 300]),
        ('bytes', [b'', b'\x00\x01\xff', b'y' * 300]),
        ('nested', ((1, (2, (3, [4, {'k': (5,)}]))),)),
        ('tuples', [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)]),
        ('intkeys', {1: 'one', -2: 'minus two', 2 ** 40: 'big'}),
    ])
    shared = [1, 2]
    plain['shared'] = [shared, shared]
    for protocol in range(0, 6):
        with open(os.path.join(OUT, 'protocol%d.pkl' % protocol), 'wb') as f:
            f.write(pickle.dumps(plain, protocol=protocol))
    write_json('protocols.json', encode(plain))


def main():
    os.makedirs(OUT, exist_ok=True)
    count = 0
    for case in sorted(os.listdir(FIXTURES)):
        for file in ('module.pt', 'frozen.pt'):
            path = os.path.join(FIXTURES, case, file)
            if os.path.exists(path):
                write_json('%s__%s.json' % (case, file.replace('.pt', '')), describe_archive(path))
                count += 1
    extra_inputs()
    print('wrote %d archive descriptions and the extra inputs to %s' % (count, os.path.relpath(OUT, ROOT)))


if __name__ == '__main__':
    sys.exit(main())
