import NIOHTTP1
@testable import PhoneSim
import Testing

/// A simulated phone answers the config server's Digest challenge with the
/// `ap.DefaultUsername/Password` it holds (from its file or a push).
@Suite struct ProvisioningDigestTests {
    let challenge: HTTPHeaders = [
        "WWW-Authenticate": "Digest realm=\"autoprov\", qop=\"auth\", algorithm=MD5, nonce=\"1.ab.cd\"",
        "WWW-Authenticate": "Digest realm=\"autoprov\", qop=\"auth\", algorithm=SHA-256, nonce=\"1.ab.cd\"",
    ]

    @Test func theAnswerIsTheRFC7616ResponseForTheFirstChallenge() throws {
        let header = try #require(ProvisioningDigest.authorization(
            challenges: challenge, user: "0c383e07e16c", password: "pw", uri: "/0c383e07e16c.cfg", cnonce: "c1"))
        let p = try #require(SIPDigest.parameters(ofHeader: header))
        #expect(p["username"] == "0c383e07e16c" && p["algorithm"] == "MD5" && p["qop"] == "auth" && p["nc"] == "00000001")
        let expected = SIPDigest.response(
            algorithm: .md5, username: "0c383e07e16c", realm: "autoprov", password: "pw", method: "GET",
            uri: "/0c383e07e16c.cfg", nonce: "1.ab.cd", qop: "auth", nc: "00000001", cnonce: "c1")
        #expect(p["response"] == expected)
        #expect(!header.contains("pw\""))
    }

    @Test func noCredentialsOrNoDigestChallengeNoAnswer() {
        #expect(ProvisioningDigest.authorization(challenges: challenge, user: nil, password: "pw", uri: "/x") == nil)
        #expect(ProvisioningDigest.authorization(challenges: challenge, user: "u", password: nil, uri: "/x") == nil)
        #expect(ProvisioningDigest.authorization(challenges: ["WWW-Authenticate": "Basic realm=\"x\""], user: "u", password: "p", uri: "/x") == nil)
    }
}
