"""librdkafka's own partitioner functions (Debian's librdkafka1), called through ctypes.

Reads lines "<partition count> <key hex, empty for an empty key, - for a null key>" on stdin and prints, per
line, what rd_kafka_msg_partitioner_{consistent,murmur2,fnv1a,consistent_random,
murmur2_random,fnv1a_random} return, "-" where the function would fall back to its random
partitioner (which needs a real topic handle): an empty key for consistent_random, a null
key for the *_random ones.
"""

import ctypes
import ctypes.util
import sys

path = ctypes.util.find_library("rdkafka")
if path is None:
    sys.exit("librdkafka not found: install Debian's librdkafka1 (scripts/setup.sh does)")
lib = ctypes.CDLL(path)

NAMES = [
    "consistent",
    "murmur2",
    "fnv1a",
    "consistent_random",
    "murmur2_random",
    "fnv1a_random",
]
functions = {}
for name in NAMES:
    f = getattr(lib, "rd_kafka_msg_partitioner_" + name)
    f.restype = ctypes.c_int32
    f.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_int32,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    functions[name] = f

lib.rd_kafka_version_str.restype = ctypes.c_char_p
print("librdkafka " + lib.rd_kafka_version_str().decode(), file=sys.stderr)

out = []
for line in sys.stdin:
    n, key_hex = line.rstrip("\n").split(" ", 1)
    n = int(n)
    key = None if key_hex == "-" else bytes.fromhex(key_hex)
    length = 0 if key is None else len(key)
    row = []
    for name in NAMES:
        falls_back = (name == "consistent_random" and length == 0) or (
            name.endswith("_random") and key is None
        )
        row.append("-" if falls_back else str(functions[name](None, key, length, n, None, None)))
    out.append(" ".join(row))
sys.stdout.write("\n".join(out) + "\n")
