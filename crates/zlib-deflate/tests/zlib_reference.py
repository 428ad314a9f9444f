"""Deflates a file with the system's zlib the way Java's Deflater does (raw deflate,
32 KiB window, memLevel 8, default strategy), writing in pieces of CHUNK bytes, and
prints the output's length and CRC-32. Used by tests/matches_zlib.rs to check expected
values: python3 zlib_reference.py FILE LEVEL CHUNK"""
import sys
import zlib

path, level, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(path, "rb").read()
deflate = zlib.compressobj(level, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
out = b"".join(deflate.compress(data[i:i + chunk]) for i in range(0, len(data), chunk))
out += deflate.flush(zlib.Z_FINISH)
print(zlib.ZLIB_RUNTIME_VERSION, len(out), zlib.crc32(out))
