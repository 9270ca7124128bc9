/*
 * BouncyCastle oracle for the AA FI-data scheme (../shared/reference/aa.md §5.2), playing the
 * FIP. Written from the algorithm description alone; run by test/aa/fi-bouncycastle.slow.test.ts
 * with Debian's OpenJDK and libbcprov-java, in source-launch mode:
 *
 *   java -cp /usr/share/java/bcprov.jar test/aa/FiOracle.java < jobs.json > results.json
 *
 * stdin: a JSON array of jobs; stdout: a JSON array with one result per job, in order. A job
 * that fails gives {"error": "..."} (a GCM tag mismatch is such a failure); the others go on.
 *
 *   {"op":"info"}
 *       -> {"bouncycastle": version, "java": version}
 *   {"op":"keygen", "curve": "Curve25519"|"X25519", "private"?: hex}
 *       -> {"private": hex, "keyMaterial": KeyMaterial}
 *   {"op":"encrypt", "peerKeyMaterial": KeyMaterial, "plaintext": b64, "private"?: hex, "nonce"?: b64}
 *       -> {"private", "keyMaterial", "encryptedFI": b64, "z", "k", "iv": hex}
 *   {"op":"decrypt", "curve", "private": hex, "nonce": b64, "peerKeyMaterial", "encryptedFI": b64}
 *       -> {"plaintext": b64, "z", "k", "iv": hex}
 *
 * Our curve form follows the peer's KeyMaterial ("Curve25519", or "X25519" / cryptoAlg
 * "X25519" with an empty curve); the peer's key bytes must be of that form. Private keys are
 * 32 bytes: the big-endian scalar d for Curve25519, the RFC 7748 scalar for X25519. Without
 * "private" / "nonce" the oracle makes fresh ones from SecureRandom.
 *
 * Curve25519 (short-Weierstrass curve25519 with explicit-parameter X.509 keys) goes through the
 * BC JCA provider, as a Java FIP would do it: KeyPairGenerator/KeyFactory "EC" on the
 * CustomNamedCurves "curve25519" domain, KeyAgreement "ECDH"; the low-level ECDHBasicAgreement
 * must give the same Z. X25519 goes through the low-level X25519Agreement. HKDF is
 * HKDFBytesGenerator(SHA-256), AES-256-GCM is GCMBlockCipher(AESEngine) with a 128-bit tag.
 */
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import javax.crypto.KeyAgreement;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.X509EncodedKeySpec;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPrivateKeySpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

public class FiOracle {
    static final SecureRandom RANDOM = new SecureRandom();
    static final int NONCE_BYTES = 32, SALT_BYTES = 20, IV_BYTES = 12, KEY_BYTES = 32, TAG_BITS = 128;

    static final X9ECParameters X9 = CustomNamedCurves.getByName("curve25519");
    static final ECParameterSpec SPEC = new ECParameterSpec(X9.getCurve(), X9.getG(), X9.getN(), X9.getH(), X9.getSeed());
    static final ECDomainParameters DOMAIN = new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH(), X9.getSeed());

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        checkCurve();
        Object jobs = new Json(new String(readAll(System.in), StandardCharsets.UTF_8)).parse();
        if (!(jobs instanceof List)) throw new IllegalArgumentException("stdin must be a JSON array of jobs");
        List<Object> results = new ArrayList<>();
        for (Object job : (List<?>) jobs) {
            try {
                results.add(run(asMap(job)));
            } catch (Exception e) {
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                results.add(err);
            }
        }
        StringBuilder out = new StringBuilder();
        Json.write(results, out);
        System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
        System.out.flush();
    }

    /** BC's curve25519 domain is the Montgomery curve v² = u³ + 486662u² + u with x = u + A/3. */
    static void checkCurve() {
        BigInteger p = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
        BigInteger A = BigInteger.valueOf(486662);
        BigInteger three = BigInteger.valueOf(3);
        BigInteger a = three.subtract(A.pow(2)).multiply(three.modInverse(p)).mod(p);
        BigInteger b = A.pow(3).shiftLeft(1).subtract(A.multiply(BigInteger.valueOf(9))).multiply(BigInteger.valueOf(27).modInverse(p)).mod(p);
        BigInteger gx = BigInteger.valueOf(9).add(A.multiply(three.modInverse(p))).mod(p);
        BigInteger n = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
        ECPoint g = X9.getG().normalize();
        if (!X9.getCurve().getField().getCharacteristic().equals(p) || !X9.getCurve().getA().toBigInteger().equals(a)
                || !X9.getCurve().getB().toBigInteger().equals(b) || !g.getAffineXCoord().toBigInteger().equals(gx)
                || !X9.getN().equals(n) || X9.getH().intValue() != 8) {
            throw new IllegalStateException("BouncyCastle's curve25519 is not the expected Weierstrass domain");
        }
    }

    static Map<String, Object> run(Map<String, Object> job) throws Exception {
        String op = str(job, "op");
        Map<String, Object> out = new LinkedHashMap<>();
        switch (op) {
            case "info":
                out.put("bouncycastle", new BouncyCastleProvider().getVersionStr());
                out.put("java", System.getProperty("java.version"));
                return out;
            case "keygen": {
                Party me = Party.of(str(job, "curve"), opt(job, "private"));
                out.put("private", hex(me.raw));
                out.put("keyMaterial", me.keyMaterial(b64(random(NONCE_BYTES))));
                return out;
            }
            case "encrypt": {
                Map<String, Object> peer = asMap(job.get("peerKeyMaterial"));
                Party me = Party.of(curveOf(peer), opt(job, "private"));
                byte[] nonce = job.containsKey("nonce") ? unb64(str(job, "nonce")) : random(NONCE_BYTES);
                Session s = me.session(nonce, peer);
                out.put("private", hex(me.raw));
                out.put("keyMaterial", me.keyMaterial(b64(nonce)));
                out.put("encryptedFI", b64(s.gcm(true, unb64(str(job, "plaintext")))));
                s.describe(out);
                return out;
            }
            case "decrypt": {
                Map<String, Object> peer = asMap(job.get("peerKeyMaterial"));
                String curve = str(job, "curve");
                if (!curve.equals(curveOf(peer))) throw new IllegalArgumentException("our curve is " + curve + " but the peer's KeyMaterial says " + curveOf(peer));
                Party me = Party.of(curve, str(job, "private"));
                Session s = me.session(unb64(str(job, "nonce")), peer);
                byte[] plain = s.gcm(false, unb64(str(job, "encryptedFI")));
                out.put("plaintext", b64(plain));
                s.describe(out);
                return out;
            }
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }

    static String curveOf(Map<String, Object> km) {
        String alg = km.get("cryptoAlg") instanceof String ? (String) km.get("cryptoAlg") : "";
        String curve = km.get("curve") instanceof String ? (String) km.get("curve") : "";
        if (curve.equalsIgnoreCase("Curve25519") && alg.equalsIgnoreCase("ECDH")) return "Curve25519";
        if (curve.equalsIgnoreCase("X25519") && alg.equalsIgnoreCase("ECDH")) return "X25519";
        if (alg.equalsIgnoreCase("X25519") && (curve.isEmpty() || curve.equalsIgnoreCase("X25519"))) return "X25519";
        throw new IllegalArgumentException("KeyMaterial cryptoAlg/curve " + alg + "/" + curve + " is not one of the two forms");
    }

    /** Our side: a key of one curve form. */
    static final class Party {
        final String curve;
        final byte[] raw; // 32 bytes
        PrivateKey jcaPrivate; // Curve25519
        PublicKey jcaPublic; // Curve25519
        X25519PrivateKeyParameters xPrivate; // X25519

        private Party(String curve, byte[] raw) {
            this.curve = curve;
            this.raw = raw;
        }

        static Party of(String curve, String privateHex) throws Exception {
            if (curve.equals("Curve25519")) {
                KeyFactory kf = KeyFactory.getInstance("EC", "BC");
                if (privateHex == null) {
                    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", "BC");
                    kpg.initialize(SPEC, RANDOM);
                    KeyPair kp = kpg.generateKeyPair();
                    BigInteger d = ((org.bouncycastle.jce.interfaces.ECPrivateKey) kp.getPrivate()).getD();
                    Party me = new Party(curve, BigIntegers.asUnsignedByteArray(32, d));
                    me.jcaPrivate = kp.getPrivate();
                    me.jcaPublic = kp.getPublic();
                    return me;
                }
                byte[] raw = unhex(privateHex, 32);
                BigInteger d = new BigInteger(1, raw);
                if (d.signum() == 0 || d.compareTo(X9.getN()) >= 0) throw new IllegalArgumentException("private scalar is not in [1, n)");
                Party me = new Party(curve, raw);
                me.jcaPrivate = kf.generatePrivate(new ECPrivateKeySpec(d, SPEC));
                me.jcaPublic = kf.generatePublic(new ECPublicKeySpec(SPEC.getG().multiply(d).normalize(), SPEC));
                return me;
            }
            if (curve.equals("X25519")) {
                byte[] raw = privateHex == null ? random(32) : unhex(privateHex, 32);
                Party me = new Party(curve, raw);
                me.xPrivate = new X25519PrivateKeyParameters(raw, 0);
                return me;
            }
            throw new IllegalArgumentException("unknown curve " + curve);
        }

        byte[] spki() throws Exception {
            if (curve.equals("Curve25519")) return jcaPublic.getEncoded();
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(xPrivate.generatePublicKey()).getEncoded();
        }

        Map<String, Object> keyMaterial(String nonce) throws Exception {
            byte[] spki = spki();
            if (curve.equals("Curve25519") && spki.length != 309) throw new IllegalStateException("BC's Curve25519 SPKI is " + spki.length + " bytes, not 309");
            if (curve.equals("X25519") && spki.length != 44) throw new IllegalStateException("BC's X25519 SPKI is " + spki.length + " bytes, not 44");
            // Rahasya-style armour without line breaks for Curve25519; ordinary PEM for X25519.
            String keyValue = curve.equals("Curve25519")
                    ? "-----BEGIN PUBLIC KEY-----" + b64(spki) + "-----END PUBLIC KEY-----"
                    : "-----BEGIN PUBLIC KEY-----\n" + b64(spki) + "\n-----END PUBLIC KEY-----\n";
            SimpleDateFormat iso = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
            iso.setTimeZone(TimeZone.getTimeZone("UTC"));
            Map<String, Object> dh = new LinkedHashMap<>();
            dh.put("expiry", iso.format(new Date(System.currentTimeMillis() + 24L * 3600 * 1000)));
            dh.put("Parameters", "");
            dh.put("KeyValue", keyValue);
            Map<String, Object> km = new LinkedHashMap<>();
            km.put("cryptoAlg", "ECDH");
            km.put("curve", curve);
            km.put("params", "cipher=AES/GCM/NoPadding;KeyPairGenerator=ECDH");
            km.put("DHPublicKey", dh);
            km.put("Nonce", nonce);
            return km;
        }

        byte[] sharedSecret(String peerKeyValue) throws Exception {
            String body = peerKeyValue.trim().replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s+", "");
            if (curve.equals("Curve25519")) {
                byte[] der = Base64.getDecoder().decode(body);
                if (der.length != 309) throw new IllegalArgumentException("peer Curve25519 SPKI is " + der.length + " bytes, not 309");
                PublicKey peer = KeyFactory.getInstance("EC", "BC").generatePublic(new X509EncodedKeySpec(der));
                ECParameterSpec peerSpec = ((org.bouncycastle.jce.interfaces.ECPublicKey) peer).getParameters();
                if (!peerSpec.getCurve().equals(SPEC.getCurve()) || !peerSpec.getG().equals(SPEC.getG()) || !peerSpec.getN().equals(SPEC.getN())) {
                    throw new IllegalArgumentException("peer key is not on BC's curve25519 domain");
                }
                KeyAgreement ka = KeyAgreement.getInstance("ECDH", "BC");
                ka.init(jcaPrivate);
                ka.doPhase(peer, true);
                byte[] z = ka.generateSecret();
                // The same through the low-level API.
                ECPoint q = ((org.bouncycastle.jce.interfaces.ECPublicKey) peer).getQ();
                ECDHBasicAgreement basic = new ECDHBasicAgreement();
                basic.init(new ECPrivateKeyParameters(new BigInteger(1, raw), DOMAIN));
                byte[] z2 = BigIntegers.asUnsignedByteArray(32, basic.calculateAgreement(new ECPublicKeyParameters(q, DOMAIN)));
                if (!Arrays.equals(z, z2)) throw new IllegalStateException("JCA ECDH and ECDHBasicAgreement disagree");
                return z;
            }
            X25519PublicKeyParameters peer;
            if (body.matches("[0-9a-fA-F]{64}")) {
                peer = new X25519PublicKeyParameters(unhex(body, 32), 0);
            } else {
                byte[] der = Base64.getDecoder().decode(body);
                if (der.length == 32) {
                    peer = new X25519PublicKeyParameters(der, 0);
                } else {
                    AsymmetricKeyParameter k = PublicKeyFactory.createKey(der);
                    if (!(k instanceof X25519PublicKeyParameters)) throw new IllegalArgumentException("peer key is a " + k.getClass().getSimpleName() + ", not X25519");
                    peer = (X25519PublicKeyParameters) k;
                }
            }
            X25519Agreement agreement = new X25519Agreement();
            agreement.init(xPrivate);
            byte[] z = new byte[agreement.getAgreementSize()];
            agreement.calculateAgreement(peer, z, 0);
            return z;
        }

        Session session(byte[] ownNonce, Map<String, Object> peerKm) throws Exception {
            Map<String, Object> dh = asMap(peerKm.get("DHPublicKey"));
            byte[] peerNonce = unb64(str(peerKm, "Nonce"));
            if (ownNonce.length != NONCE_BYTES || peerNonce.length != NONCE_BYTES) {
                throw new IllegalArgumentException("nonces must be 32 bytes (ours " + ownNonce.length + ", theirs " + peerNonce.length + ")");
            }
            byte[] z = sharedSecret(str(dh, "KeyValue"));
            byte[] x = new byte[NONCE_BYTES];
            for (int i = 0; i < NONCE_BYTES; i++) x[i] = (byte) (ownNonce[i] ^ peerNonce[i]);
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(z, Arrays.copyOfRange(x, 0, SALT_BYTES), null));
            byte[] k = new byte[KEY_BYTES];
            hkdf.generateBytes(k, 0, KEY_BYTES);
            return new Session(z, k, Arrays.copyOfRange(x, SALT_BYTES, SALT_BYTES + IV_BYTES));
        }
    }

    static final class Session {
        final byte[] z, k, iv;

        Session(byte[] z, byte[] k, byte[] iv) {
            this.z = z;
            this.k = k;
            this.iv = iv;
        }

        /** AES-256-GCM, no AAD; encryption output and decryption input are ciphertext ‖ tag. */
        @SuppressWarnings("deprecation")
        byte[] gcm(boolean encrypt, byte[] in) throws Exception {
            GCMBlockCipher gcm = new GCMBlockCipher(new AESEngine());
            gcm.init(encrypt, new AEADParameters(new KeyParameter(k), TAG_BITS, iv));
            byte[] out = new byte[gcm.getOutputSize(in.length)];
            int n = gcm.processBytes(in, 0, in.length, out, 0);
            n += gcm.doFinal(out, n); // InvalidCipherTextException when the tag does not match
            return n == out.length ? out : Arrays.copyOf(out, n);
        }

        void describe(Map<String, Object> out) {
            out.put("z", hex(z));
            out.put("k", hex(k));
            out.put("iv", hex(iv));
        }
    }

    // ---- small helpers ---------------------------------------------------------------------

    static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        for (int n; (n = in.read(chunk)) > 0; ) buf.write(chunk, 0, n);
        return buf.toByteArray();
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] unb64(String s) {
        return Base64.getMimeDecoder().decode(s);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte v : b) sb.append(String.format("%02x", v & 0xff));
        return sb.toString();
    }

    static byte[] unhex(String s, int len) {
        if (s.length() != 2 * len) throw new IllegalArgumentException("expected " + len + " bytes of hex, got " + s.length() + " digits");
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        if (!(o instanceof Map)) throw new IllegalArgumentException("expected a JSON object");
        return (Map<String, Object>) o;
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String)) throw new IllegalArgumentException("missing string field " + key);
        return (String) v;
    }

    static String opt(Map<String, Object> m, String key) {
        return m.get(key) instanceof String ? (String) m.get(key) : null;
    }

    /** Just enough JSON: objects, arrays, strings, numbers, true/false/null. */
    static final class Json {
        final String s;
        int i;

        Json(String s) {
            this.s = s;
        }

        Object parse() {
            Object v = value();
            ws();
            if (i != s.length()) throw new IllegalArgumentException("trailing JSON at " + i);
            return v;
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (s.charAt(i) == '}') { i++; return m; }
                for (;;) {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (s.charAt(i) == ']') { i++; return l; }
                for (;;) {
                    l.add(value());
                    ws();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            if (start == i) throw new IllegalArgumentException("bad JSON at " + i);
            return Double.parseDouble(s.substring(start, i));
        }

        void expect(char c) {
            if (s.charAt(i) != c) throw new IllegalArgumentException("expected " + c + " at " + i);
            i++;
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            for (;;) {
                char c = s.charAt(i++);
                if (c == '"') return sb.toString();
                if (c != '\\') { sb.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: sb.append(e);
                }
            }
        }

        static void write(Object v, StringBuilder out) {
            if (v == null) {
                out.append("null");
            } else if (v instanceof Map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    write(String.valueOf(e.getKey()), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            } else if (v instanceof List) {
                out.append('[');
                boolean first = true;
                for (Object o : (List<?>) v) {
                    if (!first) out.append(',');
                    first = false;
                    write(o, out);
                }
                out.append(']');
            } else if (v instanceof String) {
                String str = (String) v;
                out.append('"');
                for (int j = 0; j < str.length(); j++) {
                    char c = str.charAt(j);
                    if (c == '"' || c == '\\') out.append('\\').append(c);
                    else if (c == '\n') out.append("\\n");
                    else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
                out.append('"');
            } else {
                out.append(v);
            }
        }
    }
}
