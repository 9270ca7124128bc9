"""Independent oracle for the AA FI-data scheme (aa.md §5.2), written without looking at
src/aa/fi-crypto.ts. Run by test/aa/fi-crypto.test.ts with Debian's /usr/bin/python3 and its
python3-cryptography (HKDF, AES-GCM, X25519). The Curve25519 (short-Weierstrass) form is
computed here with plain integer arithmetic, its curve derived from the Montgomery form.

stdin: one JSON request; stdout: one JSON answer.
  {"op": "keygen", "form": "a"|"b"}              -> {"private": hex, "keyValue": str, "nonce": b64}
  {"op": "encrypt", "form", "private", "nonce", "peerKeyValue", "peerNonce", "plaintext": b64}
                                                    -> {"encryptedFI": b64}
  {"op": "decrypt", same, "encryptedFI": b64}     -> {"plaintext": b64}
"""
import base64
import json
import os
import re
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# curve25519 in short-Weierstrass form y^2 = x^3 + a x + b, from Montgomery v^2 = u^3 + A u^2 + u
P = 2**255 - 19
A = 486662
a = (3 - A * A) * pow(3, -1, P) % P
b = (2 * A**3 - 9 * A) * pow(27, -1, P) % P
N = 2**252 + 27742317777372353535851937790883648493
GX = (9 + A * pow(3, -1, P)) % P  # Montgomery base point u = 9 mapped to x = u + A/3
GY = 14781619447589544791020593568409986887264606134616475288964881837755586237401


def on_curve(pt):
    x, y = pt
    return (y * y - (x**3 + a * x + b)) % P == 0


def add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return None
    if p1 == p2:
        lam = (3 * x1 * x1 + a) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return (x3, (lam * (x1 - x3) - y1) % P)


def mul(k, pt):
    acc = None
    while k:
        if k & 1:
            acc = add(acc, pt)
        pt = add(pt, pt)
        k >>= 1
    return acc


G = (GX, GY)
assert on_curve(G)


def spki_body(key_value):
    text = re.sub(r"-----(BEGIN|END) [A-Z ]+-----", "", key_value)
    return base64.b64decode(re.sub(r"\s+", "", text))


# DER of the explicit-parameters SPKI, built here from the numbers above.
def der_len(n):
    return bytes([n]) if n < 128 else bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 0xFF])


def tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def der_int(v):
    raw = v.to_bytes((v.bit_length() + 8) // 8, "big")
    return tlv(0x02, raw)


def weierstrass_spki(pt):
    oid_ec = tlv(0x06, bytes.fromhex("2a8648ce3d0201"))
    oid_prime = tlv(0x06, bytes.fromhex("2a8648ce3d0101"))
    field = tlv(0x30, oid_prime + der_int(P))
    curve = tlv(0x30, tlv(0x04, a.to_bytes(32, "big")) + tlv(0x04, b.to_bytes(32, "big")))
    base = tlv(0x04, b"\x04" + GX.to_bytes(32, "big") + GY.to_bytes(32, "big"))
    params = tlv(0x30, der_int(1) + field + curve + base + der_int(N) + der_int(8))
    alg = tlv(0x30, oid_ec + params)
    point = b"\x04" + pt[0].to_bytes(32, "big") + pt[1].to_bytes(32, "big")
    return tlv(0x30, alg + tlv(0x03, b"\x00" + point))


def shared_secret(form, private_hex, peer_key_value):
    der = spki_body(peer_key_value)
    if form == "a":
        assert len(der) == 309, len(der)
        pt = (int.from_bytes(der[-64:-32], "big"), int.from_bytes(der[-32:], "big"))
        assert der[-65] == 4 and on_curve(pt)
        assert der[:-65] == weierstrass_spki(pt)[:-65], "peer SPKI parameters differ from ours"
        return mul(int(private_hex, 16), pt)[0].to_bytes(32, "big")
    priv = X25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex))
    return priv.exchange(serialization.load_der_public_key(der))


def session(req):
    z = shared_secret(req["form"], req["private"], req["peerKeyValue"])
    x = bytes(p ^ q for p, q in zip(base64.b64decode(req["nonce"]), base64.b64decode(req["peerNonce"])))
    assert len(x) == 32
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=x[:20], info=b"").derive(z)
    return AESGCM(key), x[20:]


def main():
    req = json.load(sys.stdin)
    op = req["op"]
    if op == "keygen":
        nonce = base64.b64encode(os.urandom(32)).decode()
        if req["form"] == "a":
            d = int.from_bytes(os.urandom(32), "big") % (N - 1) + 1
            spki = weierstrass_spki(mul(d, G))
            key_value = "-----BEGIN PUBLIC KEY-----" + base64.b64encode(spki).decode() + "-----END PUBLIC KEY-----"
            out = {"private": d.to_bytes(32, "big").hex(), "keyValue": key_value, "nonce": nonce}
        else:
            priv = X25519PrivateKey.generate()
            raw = priv.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
            spki = priv.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            out = {"private": raw.hex(), "keyValue": base64.b64encode(spki).decode(), "nonce": nonce}
    elif op == "encrypt":
        gcm, iv = session(req)
        out = {"encryptedFI": base64.b64encode(gcm.encrypt(iv, base64.b64decode(req["plaintext"]), None)).decode()}
    elif op == "decrypt":
        gcm, iv = session(req)
        out = {"plaintext": base64.b64encode(gcm.decrypt(iv, base64.b64decode(req["encryptedFI"]), None)).decode()}
    else:
        raise SystemExit("unknown op " + op)
    json.dump(out, sys.stdout)


main()
