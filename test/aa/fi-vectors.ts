/**
 * The published FI-data encryption vectors (aa.md §5.5) and the key material shape the AA sends,
 * shared by the crypto tests (fi-crypto.test.ts) and the BouncyCastle oracle's
 * (fi-bouncycastle.slow.test.ts).
 */
import type { FiKeyMaterial } from '../../src/aa/fi-crypto.ts';

/** A KeyMaterial block as ReBIT carries it, for a peer's public key and nonce. */
export const km = (keyValue: string, nonce: string, curve = 'Curve25519'): FiKeyMaterial => ({
  cryptoAlg: 'ECDH',
  curve,
  params: '',
  DHPublicKey: { expiry: '2026-12-04T10:00:00.000Z', Parameters: '', KeyValue: keyValue },
  Nonce: nonce,
});

/** aa.md §5.5 V1: form (a), ProjectEKA HIU DecryptorTest. */
export const V1 = {
  receiverPrivate: 'DrDDUf+HIXB59/ym4GxrM/TfeULHyiUVzHWkq9rFkJI=',
  receiverNonce: 'pk5xT1Xk+KUlf/LC1LZawKECPNvOvIzhZNEyIdh7oJE=',
  senderSpki:
    'MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB/////////////////////////////////////////7TBEBCAqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqYSRShRAQge0Je0Je0Je0Je0Je0Je0Je0Je0Je0Je0JgtenHcQyGQEQQQqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0kWiCuGaG4oIa04B7dLHdI0UySPU1+bXxhsinpxaJ+ztPZAiAQAAAAAAAAAAAAAAAAAAAAFN753qL3nNZYEmMaXPXT7QIBCANCAARfpkcbh0Y6Z1xcck4D2pNKLQ2DwLOxI9bO2sy8zlbJ4391xJpwYNG2STnmP9cwz0+V74B3mbcykl5J1gsXtNe+',
  senderNonce: 'xXrM6PfCsBX0Q238uxZCP8YBpPXxsiZvbE++jX5GV5c=',
  ciphertext: 'cMTT+FiiDMVXdK1nbBXmnNXP2doSbWQ11Sl8rs1d5SzVDA==',
  z: '2f8bb69847023db91b38b48da1864e440c5880a474bc5401bd13fccb7ee8d4bb',
  k: '598c2a25c221a4ba3001653008a13a1a0df60e5566225844800f45751861f75c',
  iv: '3f0eaa8e089e8caca63df706',
  plaintext: '"This is a string"',
};
/** aa.md §5.5 V2: X25519, RFC 7748 §6.1 keys. */
export const V2 = {
  alicePrivate: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
  alicePublic: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a', // RFC 7748 §6.1
  bobPrivate: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb', // RFC 7748 §6.1
  bobPublic: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  bobSpki: 'MCowBQYDK2VuAyEA3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=',
  ownNonce: '2OZz6xYAnS6a83WcOZFLQH/0YVcl1vWE+zespfGAWFo=',
  peerNonce: 'WY9hFnr4WLFd9mVvItMIdBjFygVDpPpoi/BZ3Z3lBfY=',
  z: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
  k: '3b434ed3f93ce5ef1115a89955a50c0fa3ef09f449a842fed3bf81c2939f4261',
  iv: '66720fec70c7f5786c655dac',
  plaintext: '<Account type="deposit"/>',
  ciphertext: 'znywRMcP39oVXux47jxGrhrkI11/y27C7DwaI53tUdiGocSH5UuZF4U=',
};
