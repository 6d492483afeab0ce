@testable import ConfigServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct DigestTests {
    @Test func responsesMatchTheRFCExamples() {
        // RFC 2617 §3.5 (MD5).
        #expect(DigestAuthenticator.response(
            algorithm: "MD5", user: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life", method: "GET",
            uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", nc: "00000001", cnonce: "0a4f113b",
            qop: "auth") == "6629fae49393a05397450978507c4ef1")
        // RFC 7616 §3.9.1 (SHA-256).
        #expect(DigestAuthenticator.response(
            algorithm: "SHA-256", user: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life", method: "GET",
            uri: "/dir/index.html", nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc: "00000001",
            cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop: "auth")
            == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
    }

    /// What a client sends after a challenge.
    static func authorization(
        _ challenge: String, user: String, password: String, uri: String, algorithm: String = "MD5", nc: String = "00000001"
    ) -> String {
        let p = DigestAuthenticator.parameters(String(challenge.dropFirst(7)))
        let nonce = p["nonce"]!, realm = p["realm"]!
        let response = DigestAuthenticator.response(
            algorithm: algorithm, user: user, realm: realm, password: password, method: "GET", uri: uri, nonce: nonce,
            nc: nc, cnonce: "abc", qop: "auth")
        return "Digest username=\"\(user)\", realm=\"\(realm)\", nonce=\"\(nonce)\", uri=\"\(uri)\", algorithm=\(algorithm), qop=auth, nc=\(nc), cnonce=\"abc\", response=\"\(response)\""
    }

    @Test func nonceChecks() {
        let digest = DigestAuthenticator(realm: "autoprov")
        let a = "192.0.2.100"
        let challenge = digest.challenges(now: 1000, client: a)[0]
        #expect(challenge.contains("algorithm=MD5") && challenge.hasPrefix("Digest realm=\"autoprov\""))
        let header = Self.authorization(challenge, user: "u", password: "p", uri: "/x.cfg")
        func verify(_ header: String?, _ uri: String = "/x.cfg", at now: Double = 1010, _ password: String = "p") -> DigestAuthenticator.Outcome {
            digest.verify(header: header, method: "GET", uri: uri, client: a, now: now) { $0 == "u" ? password : nil }
        }
        #expect(verify(header, "/y.cfg") == .invalid(stale: false))
        #expect(verify(header, "/x.cfg", "other") == .invalid(stale: false))
        #expect(verify(header, at: 2000) == .invalid(stale: true))
        #expect(verify(header) == .valid)
        let forged = header.replacingOccurrences(of: "nonce=\"1000.", with: "nonce=\"1999.")
        #expect(verify(forged, at: 2000) == .invalid(stale: false))
        #expect(verify(nil) == .missing)
        #expect(verify("Basic dTpw") == .missing)
    }

    @Test(arguments: [FetchAuthorization.digest, .leasedIPOrDigest, .leasedIPAndDigest])
    func phonesWithTheirProvisioningCredentialsGetTheirFile(policy: FetchAuthorization) async throws {
        let h = try Harness()
        try h.addPhone(variables: ["provisioning_username": "prov", "provisioning_password": "prov-pw"])
        // Leased elsewhere: only credentials can open the door (and never in "and" mode).
        try h.lease("192.0.2.100")
        var settings = ConfigServerSettings()
        settings.authorization = policy
        try await h.phoneApp(settings).test { client in
            let uri = "/0c383e07e16c.cfg"
            let first = try await client.execute(uri: uri, method: .get, headers: [.userAgent: fanvilUA])
            if policy == .leasedIPAndDigest {
                #expect(first.status == .forbidden)
                return
            }
            #expect(first.status == .unauthorized)
            let challenges = first.headers[values: .wwwAuthenticate]
            #expect(challenges.count == 2 && challenges[0].contains("algorithm=MD5") && challenges[1].contains("algorithm=SHA-256"))
            for (nc, algorithm) in [("00000001", "MD5"), ("00000002", "SHA-256")] {
                let good = Self.authorization(
                    challenges[0], user: "prov", password: "prov-pw", uri: uri, algorithm: algorithm, nc: nc)
                let ok = try await client.execute(uri: uri, method: .get, headers: [.userAgent: fanvilUA, .authorization: good])
                #expect(ok.status == .ok, "\(algorithm)")
            }
            let bad = Self.authorization(challenges[0], user: "prov", password: "wrong", uri: uri)
            let refused = try await client.execute(uri: uri, method: .get, headers: [.userAgent: fanvilUA, .authorization: bad])
            #expect(refused.status == .unauthorized && String(buffer: refused.body) == "digest-bad\n")
        }
    }

    @Test func leasedAndDigestNeedsBoth() async throws {
        let h = try Harness()
        try h.addPhone(variables: ["provisioning_username": "prov", "provisioning_password": "prov-pw"])
        try h.lease("127.0.0.1")
        var settings = ConfigServerSettings()
        settings.authorization = .leasedIPAndDigest
        try await h.phoneApp(settings).test { client in
            let uri = "/0c383e07e16c.cfg"
            let first = try await client.execute(uri: uri, method: .get)
            #expect(first.status == .unauthorized && String(buffer: first.body) == "digest-missing\n")
            let header = Self.authorization(first.headers[values: .wwwAuthenticate][0], user: "prov", password: "prov-pw", uri: uri)
            #expect(try await client.execute(uri: uri, method: .get, headers: [.authorization: header]).status == .ok)
        }
    }
}
