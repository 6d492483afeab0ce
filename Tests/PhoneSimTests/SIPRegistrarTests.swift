import Synchronization
import Testing
@testable import PhoneSim

/// The registrar's answers, without sockets.
@Suite struct SIPRegistrarTests {
    let registrar = SIPRegistrar(users: ["1001": "secret1"], port: 0)

    func request(_ method: String, _ extra: [(String, String)] = []) -> SIPMessage {
        SIPMessage.request(method, uri: "sip:127.0.0.1", headers: SIPHeaders([
            ("Via", "SIP/2.0/UDP 127.0.0.9:5070;branch=z9hG4bKx;rport"), ("From", "<sip:1001@127.0.0.1>;tag=a"),
            ("To", "<sip:1001@127.0.0.1>"), ("Call-ID", "cid"), ("CSeq", "1 \(method)"), ("Contact", "<sip:1001@127.0.0.9:5070>"),
        ] + extra))
    }

    @Test func challengesThenAccepts() throws {
        let first = try #require(registrar.handle(request("REGISTER"), source: "127.0.0.9:5070", now: 1000))
        #expect(first.response.status == 401 && first.event == nil)
        #expect(first.response.headers["Via"] == "SIP/2.0/UDP 127.0.0.9:5070;branch=z9hG4bKx;rport=5070;received=127.0.0.9")
        #expect(first.response.headers["Call-ID"] == "cid" && first.response.headers["CSeq"] == "1 REGISTER")
        #expect(SIPHeaderValue.parameter("tag", in: first.response.headers["To"]!) != nil)
        let challenge = try #require(SIPDigestChallenge(header: first.response.headers["WWW-Authenticate"]!))
        #expect(challenge.realm == "autoprov" && challenge.qopOptions == ["auth"])

        let credentials = challenge.credentials(username: "1001", password: "secret1", method: "REGISTER", uri: "sip:127.0.0.1", cnonce: "c")
        let second = try #require(registrar.handle(request("REGISTER", [("Authorization", credentials.headerValue), ("Expires", "120")]), source: "127.0.0.9:5070", now: 1001))
        #expect(second.response.status == 200)
        #expect(second.response.headers["Contact"] == "<sip:1001@127.0.0.9:5070>;expires=120")
        #expect(second.response.headers["Expires"] == "120")
        #expect(second.event == .registered(user: "1001", contact: "sip:1001@127.0.0.9:5070", source: "127.0.0.9:5070"))

        // A forged nonce is refused even with the right password.
        var forged = credentials
        forged.nonce = "1.00"
        forged.response = SIPDigest.response(algorithm: .md5, username: "1001", realm: "autoprov", password: "secret1", method: "REGISTER", uri: "sip:127.0.0.1", nonce: "1.00", qop: "auth", nc: "00000001", cnonce: "c")
        #expect(registrar.handle(request("REGISTER", [("Authorization", forged.headerValue)]), source: "127.0.0.9:5070", now: 1001)?.response.status == 403)
    }

    @Test func otherMethods() {
        let options = registrar.handle(request("OPTIONS"), source: "127.0.0.9:5070", now: 0)?.response
        #expect(options?.status == 405 && options?.headers["Allow"] == "REGISTER")
        #expect(registrar.handle(request("FROB"), source: "127.0.0.9:5070", now: 0)?.response.status == 501)
        #expect(registrar.handle(request("ACK"), source: "127.0.0.9:5070", now: 0) == nil)
        #expect(registrar.handle(.response(200), source: "127.0.0.9:5070", now: 0) == nil)
        var noTo = request("REGISTER")
        noTo.headers.remove("To")
        #expect(registrar.handle(noTo, source: "127.0.0.9:5070", now: 0)?.response.status == 400)
    }

    @Test func usersFile() throws {
        let users = try SIPUsersFile.parse("# user,password\r\n1001,secret1\n\n 1002 , pw with spaces \n1003,a,b\n")
        #expect(users == ["1001": "secret1", "1002": "pw with spaces", "1003": "a,b"])
        #expect(throws: SIPUsersFile.LineError(line: 3, reason: "expected user,password")) { try SIPUsersFile.parse("a,b\n#\nnocomma\n") }
        #expect(throws: SIPUsersFile.LineError(line: 2, reason: "duplicate user a")) { try SIPUsersFile.parse("a,b\na,c") }
        #expect(throws: SIPUsersFile.LineError(line: 1, reason: "empty password for a")) { try SIPUsersFile.parse("a,") }
    }
}

/// An array appended to from several threads.
final class LockedArray<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])
    func append(_ element: Element) { storage.withLock { $0.append(element) } }
    var all: [Element] { storage.withLock { $0 } }
}
