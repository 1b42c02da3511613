#!/usr/bin/env python3
"""Writes the seed corpus of the Jazzer fuzz targets in soci-ztoc and soci-registry (small, deterministic files).

Run from the repository root: python3 scripts/fuzz-seeds.py. The files are committed; findings
the fuzzers make are added next to them by Jazzer and committed as regression cases.
"""
import gzip, io, json, os, random, shutil, struct, subprocess, tarfile, zlib

BASE = "soci-ztoc/src/test/resources/io/soci4j/ztoc/fuzz"
rng = random.Random(20261202)


REGISTRY_BASE = "soci-registry/src/test/resources/io/soci4j/registry/fuzz"


def put(target, name, data):
    put_in(BASE, target, name, data)


def put_in(base, target, name, data):
    d = os.path.join(base, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def chunked(data, chunk):
    """A FuzzedDataProvider input: the bytes, then consumeInt(1, N)'s bytes (taken from the end)."""
    return data + struct.pack(">H", chunk - 1)


def tar_bytes(fmt, members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for info, data in members:
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def info(name, kind=tarfile.REGTYPE, size=0, link="", **pax):
    i = tarfile.TarInfo(name)
    i.type, i.size, i.linkname, i.mtime, i.mode = kind, size, link, 1704164645, 0o644
    if pax:
        i.pax_headers = pax
    return i


def ustar_header(name, size_field, typeflag=b"0"):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = size_field
    h[136:148] = b"00000000000\0"
    h[156:157] = typeflag
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def tar_seeds():
    hello = b"hello, world\n" * 10
    plain = tar_bytes(tarfile.USTAR_FORMAT, [
        (info("etc/", tarfile.DIRTYPE), None), (info("etc/os-release", size=len(hello)), hello),
        (info("etc/link", tarfile.SYMTYPE, link="os-release"), None),
        (info("etc/hard", tarfile.LNKTYPE, link="etc/os-release"), None),
        (info("dev/fifo", tarfile.FIFOTYPE), None)])
    put("TarParserFuzzTestInputs/parse", "ustar-members", chunked(plain, 512))
    long_name = "d/" + "x" * 150
    pax = tar_bytes(tarfile.PAX_FORMAT, [
        (info(long_name, size=5, **{"mtime": "1704164645.5", "SCHILY.xattr.user.k": "v"}), b"12345")])
    put("TarParserFuzzTestInputs/parse", "pax-long-name-xattr", chunked(pax, 100))
    gnu = tar_bytes(tarfile.GNU_FORMAT, [(info(long_name, size=3), b"abc")])
    put("TarParserFuzzTestInputs/parse", "gnu-long-name", chunked(gnu, 7))
    end = bytes(1024)
    for size in ((1 << 63) - 512, (1 << 63) - 1):
        field = b"\x80" + size.to_bytes(11, "big")
        put("TarParserFuzzTestInputs/parse", "base256-size-%x" % size,
            chunked(ustar_header(b"huge", field) + bytes(512) + end, 4096))
    record = b" size=9223372036854775807\n"
    record = b"%d%s" % (len(record) + 2, record)
    paxh = ustar_header(b"PaxHeaders/huge", b"%011o\0" % len(record), b"x")
    body = record + bytes(-len(record) % 512)
    put("TarParserFuzzTestInputs/parse", "pax-size-2p63-1",
        chunked(paxh + body + ustar_header(b"huge", b"00000000000\0") + end, 4096))


def deflate(data, level=6, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return c.compress(data) + c.flush()


def deflate_seeds():
    text = b"the quick brown fox jumps over the lazy dog " * 40
    put("DeflateDecoderFuzzTestInputs/decode", "dynamic", deflate(text))
    put("DeflateDecoderFuzzTestInputs/decode", "fixed", deflate(b"abcabcabcd" * 20, 9, zlib.Z_FIXED))
    put("DeflateDecoderFuzzTestInputs/decode", "stored", deflate(bytes(rng.randrange(256) for _ in range(600)), 0))
    put("DeflateDecoderFuzzTestInputs/decode", "rle", deflate(b"a" * 3000, 9, zlib.Z_RLE))
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    mixed = c.compress(text) + c.flush(zlib.Z_FULL_FLUSH) + c.compress(bytes(range(256))) + c.flush()
    put("DeflateDecoderFuzzTestInputs/decode", "full-flush-blocks", mixed)


def gzip_seeds():
    put("GzipHeaderFuzzTestInputs/header", "plain", gzip.compress(b"x", mtime=0)[:16])
    extra = b"AB" + struct.pack("<H", 4) + b"data"
    h = b"\x1f\x8b\x08" + bytes([0x04 | 0x08 | 0x10 | 0x02]) + bytes(4) + b"\x00\x03"
    h += struct.pack("<H", len(extra)) + extra + b"name\0" + b"comment\0"
    h += struct.pack("<H", zlib.crc32(h) & 0xFFFF)
    put("GzipHeaderFuzzTestInputs/header", "all-flags", h + b"\x03\x00")


def zstd_seeds():
    def zstd(data, *args):
        return subprocess.run(["zstd", "-q", "-c", *args], input=data, check=True, capture_output=True).stdout
    text = b"zstd frame walker seed " * 50
    put("ZstdFrameWalkerFuzzTestInputs/walk", "frame-with-checksum", chunked(zstd(text, "--check"), 64))
    put("ZstdFrameWalkerFuzzTestInputs/walk", "frame-no-size",
        chunked(zstd(text, "--no-content-size", "--no-check"), 9))
    skippable = struct.pack("<II", 0x184D2A5E, 3) + b"abc"
    put("ZstdFrameWalkerFuzzTestInputs/walk", "skippable-then-frames",
        chunked(skippable + zstd(b"a") + zstd(text), 1))


def ztoc_seeds():
    for name in ("hardlinks", "devices-fifo"):
        shutil.copy("../shared/testdata/ztoc/expected/%s.ztoc" % name,
                    os.path.join(BASE, "ZtocParserFuzzTestInputs/parse", name))


def json_seeds():
    layer = {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
             "digest": "sha256:" + "a" * 64, "size": 10, "annotations": {"k": "v"}}
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": dict(layer, mediaType="application/vnd.oci.image.config.v1+json"),
                "layers": [layer]}
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [dict(layer, mediaType=manifest["mediaType"],
                                platform={"os": "linux", "architecture": "arm64", "variant": "v8"})]}
    soci = dict(manifest, artifactType="application/vnd.amazon.soci.index.v2+json",
                config={"mediaType": "application/vnd.amazon.soci.index.v2+json",
                        "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", "size": 2},
                layers=[dict(layer, mediaType="application/octet-stream",
                             annotations={"com.amazon.soci.image-layer-digest": layer["digest"],
                                          "com.amazon.soci.image-layer-mediatype": layer["mediaType"]})])
    config = {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "b" * 64]}}
    for name, doc in (("manifest", manifest), ("index", index), ("soci-index", soci)):
        put("ManifestJsonFuzzTestInputs/manifest", name, json.dumps(doc).encode())
    for k, (name, doc) in enumerate((("manifest", manifest), ("index", index), ("config", config))):
        # the last byte picks the Content-Type (FuzzedDataProvider.pickValue reads from the end)
        put_in(REGISTRY_BASE, "ManifestCodecFuzzTestInputs/parse", name, json.dumps(doc).encode() + bytes([k + 1]))


tar_seeds(); deflate_seeds(); gzip_seeds(); zstd_seeds(); os.makedirs(os.path.join(BASE, "ZtocParserFuzzTestInputs/parse"), exist_ok=True); ztoc_seeds(); json_seeds()
