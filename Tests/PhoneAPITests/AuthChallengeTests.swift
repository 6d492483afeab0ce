import Testing
@testable import PhoneAPI

/// Reading `WWW-Authenticate` and writing `Authorization`, without sockets.
@Suite("HTTP authentication headers")
struct AuthChallengeTests {
    @Test("The first supported Digest challenge wins over Basic and unsupported ones")
    func preferred() {
        let chosen = AuthChallenge.preferred([
            "Basic realm=\"x\"",
            "Digest realm=\"r\", nonce=\"n1\", algorithm=MD5-sess, qop=\"auth\"",
            "Digest realm=\"r\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth-int, auth\", opaque=\"o\"",
            "Digest realm=\"r\", nonce=\"n3\"",
        ])
        #expect(chosen == .digest(DigestChallenge(realm: "r", nonce: "n2", opaque: "o", algorithm: .sha256)))
        #expect(AuthChallenge.preferred(["Negotiate", "basic realm=\"x\""]) == .basic)
        #expect(AuthChallenge.preferred(["Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\""]) == nil)
        #expect(AuthChallenge.preferred(["Digest realm=\"r\""]) == nil)
        #expect(AuthChallenge.preferred([]) == nil)
    }

    @Test("A challenge without qop or algorithm is legacy MD5, answered without nc and cnonce")
    func legacy() throws {
        let challenge = try #require(AuthChallenge.parse("Digest realm=\"a \\\"b\\\"\", nonce=abc"))
        #expect(challenge == .digest(DigestChallenge(realm: "a \"b\"", nonce: "abc", qopAuth: false,
                                                     algorithmNamed: false)))
        let value = AuthorizationHeader.value(
            answering: challenge, credentials: PhoneCredentials(user: "admin", password: "pw"), method: "POST",
            uri: "/xmlService", nc: 1)
        #expect(value.hasPrefix("Digest username=\"admin\", realm=\"a \\\"b\\\"\", nonce=\"abc\""))
        #expect(!value.contains("nc=") && !value.contains("cnonce=") && !value.contains("algorithm="))
    }

    @Test("RFC 7616 §3.9.1 example, MD5 and SHA-256 responses")
    func rfcExample() {
        let credentials = PhoneCredentials(user: "Mufasa", password: "Circle of Life")
        let nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
        let expected: [(DigestChallenge.Algorithm, String)] = [
            (.md5, "8ca523f5e9506fed4657c9700eebdbec"),
            (.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        ]
        for (algorithm, response) in expected {
            let challenge = DigestChallenge(realm: "http-auth@example.org", nonce: nonce,
                                            opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", algorithm: algorithm)
            let value = AuthorizationHeader.digestValue(challenge, credentials: credentials, method: "GET",
                                                        uri: "/dir/index.html", nc: 1, cnonce: cnonce)
            #expect(value.contains("response=\"\(response)\""))
            #expect(value.contains("nc=00000001"))
            #expect(value.contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""))
        }
    }

    @Test("Basic is base64 of user:password")
    func basic() {
        let value = AuthorizationHeader.value(
            answering: .basic, credentials: PhoneCredentials(user: "Aladdin", password: "open sesame"),
            method: "POST", uri: "/xmlService", nc: 1)
        #expect(value == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    }

    @Test("Endpoints: default ports, path, URL")
    func endpoint() {
        #expect(PhoneEndpoint(host: "192.0.2.10").url == "http://192.0.2.10:80/xmlService")
        #expect(PhoneEndpoint(host: "phone-1.lan", scheme: .https).url == "https://phone-1.lan:443/xmlService")
        #expect(PhoneEndpoint(host: "192.0.2.10", port: 8080, path: "xml").url == "http://192.0.2.10:8080/xml")
    }
}
