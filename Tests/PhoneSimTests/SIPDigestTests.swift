import Testing
@testable import PhoneSim

/// Digest vectors from the RFCs, header parameter parsing, nonces.
@Suite struct SIPDigestTests {
    @Test func rfc2617Example() {
        // RFC 2617 §3.5.
        let response = SIPDigest.response(
            algorithm: .md5, username: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life",
            method: "GET", uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            qop: "auth", nc: "00000001", cnonce: "0a4f113b")
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test func rfc7616Examples() {
        // RFC 7616 §3.9.1, SHA-256 and MD5.
        func response(_ algorithm: SIPDigest.Algorithm) -> String {
            SIPDigest.response(
                algorithm: algorithm, username: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life",
                method: "GET", uri: "/dir/index.html", nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                qop: "auth", nc: "00000001", cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
        }
        #expect(response(.sha256) == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
        #expect(response(.md5) == "8ca523f5e9506fed4657c9700eebdbec")
    }

    @Test func rfc2069FormWithoutQop() {
        // HA1:nonce:HA2 when the challenge offers no qop.
        let ha1 = SIPDigest.hash("u:r:p", .md5), ha2 = SIPDigest.hash("REGISTER:sip:r", .md5)
        #expect(SIPDigest.response(algorithm: .md5, username: "u", realm: "r", password: "p", method: "REGISTER", uri: "sip:r", nonce: "n")
            == SIPDigest.hash("\(ha1):n:\(ha2)", .md5))
    }

    @Test func parsesParametersWithQuotedCommas() {
        let p = SIPDigest.parameters(ofHeader: #"Digest realm="a, b", nonce="x\"y",qop="auth,auth-int" , algorithm=SHA-256,stale=TRUE"#)
        #expect(p?["realm"] == "a, b")
        #expect(p?["nonce"] == "x\"y")
        #expect(p?["qop"] == "auth,auth-int")
        #expect(p?["algorithm"] == "SHA-256")
        #expect(SIPDigest.parameters(ofHeader: "Basic realm=\"x\"") == nil)

        let challenge = SIPDigestChallenge(header: #"digest REALM="autoprov", nonce="abc", qop="auth,auth-int", opaque="o", stale=true"#)
        #expect(challenge?.realm == "autoprov" && challenge?.nonce == "abc" && challenge?.algorithm == .md5)
        #expect(challenge?.qopOptions == ["auth", "auth-int"] && challenge?.opaque == "o" && challenge?.stale == true)
        #expect(SIPDigestChallenge(header: #"Digest realm="r", nonce="n", algorithm=MD5-sess"#) == nil)
        #expect(SIPDigestChallenge(header: #"Digest realm="r""#) == nil)
    }

    @Test func credentialsRoundTripAndVerify() throws {
        let challenge = SIPDigestChallenge(realm: "autoprov", nonce: "n1", algorithm: .sha256, opaque: "op")
        #expect(SIPDigestChallenge(header: challenge.headerValue) == challenge)
        let credentials = challenge.credentials(username: "1001", password: "s3cret", method: "REGISTER", uri: "sip:10.0.0.1", cnonce: "c0ffee")
        #expect(credentials.qop == "auth" && credentials.nc == "00000001")
        let parsed = try #require(SIPDigestCredentials(header: credentials.headerValue))
        #expect(parsed == credentials)
        #expect(parsed.verify(password: "s3cret", method: "REGISTER"))
        #expect(!parsed.verify(password: "s3cret!", method: "REGISTER"))
        #expect(!credentials.headerValue.contains("s3cret"))
        // qop without nc/cnonce is malformed.
        #expect(SIPDigestCredentials(header: #"Digest username="u", realm="r", nonce="n", uri="sip:r", response="0", qop=auth"#) == nil)
        // No qop offered: RFC 2069 answer, no nc or cnonce.
        let old = SIPDigestChallenge(realm: "r", nonce: "n", qopOptions: []).credentials(username: "u", password: "p", method: "REGISTER", uri: "sip:r", cnonce: "c")
        #expect(old.qop == nil && old.cnonce == nil && old.verify(password: "p", method: "REGISTER"))
    }

    @Test func noncesAreStatelessAndExpire() {
        let nonces = SIPNonce(lifetime: 300)
        let nonce = nonces.make(now: 1_000_000)
        #expect(nonces.check(nonce, now: 1_000_100) == .valid)
        #expect(nonces.check(nonce, now: 1_000_400) == .stale)
        #expect(SIPNonce(lifetime: 300).check(nonce, now: 1_000_100) == .forged)  // another key
        #expect(nonces.check("f4240.00", now: 1_000_000) == .forged)
        #expect(nonces.check("garbage", now: 1_000_000) == .forged)
    }
}
