import DHCPv4
import NIOCore
import NIOHTTP1
import NIOPosix
import PhoneAPI
import Testing
@testable import PhoneSim

/// The API listener over a real socket on 127.0.0.1: authentication and the
/// HTTP-level faults.
@Suite(.serialized)
struct PhoneAPIServerTests {
    static let getMAC = #"<?xml version="1.0" encoding="UTF-8" ?><FanvilConfiguration cmd="get"><Item>info.dev.Mac</Item></FanvilConfiguration>"#

    /// Runs `body` against a phone listening on 127.0.0.1 (ephemeral port).
    static func withPhone(
        auth: Bool, faults: PhoneFaults = PhoneFaults(),
        _ body: (_ port: Int, _ group: any EventLoopGroup) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let identity = PhoneIdentity(index: 0, mac: MACAddress("0c383e000001")!)
        let state = PhoneState(identity: identity, faults: faults, settings: PhoneSettings([
            ("phone.EnablePushXMLAuth", auth ? "1" : "0"),
            ("web.account.1.Name", "admin"), ("web.account.1.Password", "pa:ss"),
        ]))
        let server = try await PhoneAPIServer.start(
            state: state, host: "127.0.0.1", port: 0, group: group, events: { _ in }, effect: { _ in })
        do {
            try await body(server.port, group)
        } catch {
            await server.close()
            try await group.shutdownGracefully()
            throw error
        }
        await server.close()
        try await group.shutdownGracefully()
    }

    static func post(_ port: Int, _ group: any EventLoopGroup, authorization: String? = nil, body: String = getMAC)
        async throws -> SimpleHTTPClient.Response
    {
        let url = try #require(HTTPURL("http://127.0.0.1:\(port)/xmlService"))
        var headers = [("Content-Type", "text/xml")]
        if let authorization { headers.append(("Authorization", authorization)) }
        return try await SimpleHTTPClient.request(.POST, url, from: "127.0.0.1", headers: headers, body: Array(body.utf8), group: group)
    }

    /// A Digest `Authorization` answering `challenge` as a client would.
    static func digest(_ challenge: String, user: String, password: String, algorithm: String = "MD5") -> String {
        let p = PhoneAuth.parameters(String(challenge.dropFirst("Digest ".count)))
        let realm = p["realm"] ?? "", nonce = p["nonce"] ?? ""
        let hash: (String) -> String = { algorithm == "MD5" ? PhoneAuth.md5($0) : PhoneAuth.sha256($0) }
        let ha1 = hash("\(user):\(realm):\(password)"), ha2 = hash("POST:/xmlService")
        let response = hash("\(ha1):\(nonce):00000001:abcdef:auth:\(ha2)")
        return #"Digest username="\#(user)", realm="\#(realm)", nonce="\#(nonce)", uri="/xmlService", "#
            + #"algorithm=\#(algorithm), qop=auth, nc=00000001, cnonce="abcdef", response="\#(response)""#
    }

    static func mac(of response: SimpleHTTPClient.Response) throws -> String? {
        try XMLServiceReply(parsing: response.body).value(for: "info.dev.Mac")
    }

    @Test func noAuthWhenPushXMLAuthIsOff() async throws {
        try await Self.withPhone(auth: false) { port, group in
            let response = try await Self.post(port, group)
            #expect(response.status == 200)
            #expect(try Self.mac(of: response) == "0c383e000001")
        }
    }

    @Test(arguments: ["MD5", "SHA-256"])
    func digestRightIsAcceptedAndWrongRefused(algorithm: String) async throws {
        try await Self.withPhone(auth: true) { port, group in
            let challenged = try await Self.post(port, group)
            #expect(challenged.status == 401)
            let challenge = try #require(challenged.headers.first(name: "WWW-Authenticate"))
            #expect(challenge.hasPrefix("Digest ") && challenge.contains("qop=\"auth\"") && challenge.contains("algorithm=MD5"))
            let right = try await Self.post(port, group, authorization: Self.digest(challenge, user: "admin", password: "pa:ss", algorithm: algorithm))
            #expect(right.status == 200)
            #expect(try Self.mac(of: right) == "0c383e000001")
            let wrong = try await Self.post(port, group, authorization: Self.digest(challenge, user: "admin", password: "nope", algorithm: algorithm))
            #expect(wrong.status == 401)
        }
    }

    @Test func basicIsAccepted() async throws {
        try await Self.withPhone(auth: true) { port, group in
            let right = try await Self.post(port, group, authorization: "Basic " + Self.base64("admin:pa:ss"))
            #expect(right.status == 200)
            let wrong = try await Self.post(port, group, authorization: "Basic " + Self.base64("admin:wrong"))
            #expect(wrong.status == 401)
        }
    }

    @Test func malformedFaultAnswersSomethingThatIsNotXML() async throws {
        try await Self.withPhone(auth: false, faults: try PhoneFaults(parsing: "malformed")) { port, group in
            let response = try await Self.post(port, group)
            #expect(response.status == 200)
            #expect(throws: XMLServiceReplyError.notXML) { try XMLServiceReply(parsing: response.body) }
        }
    }

    @Test func slowFaultDelaysTheReply() async throws {
        try await Self.withPhone(auth: false, faults: try PhoneFaults(parsing: "slow=300")) { port, group in
            let start = ContinuousClock.now
            let response = try await Self.post(port, group)
            #expect(response.status == 200)
            #expect(start.duration(to: .now) >= .milliseconds(300))
        }
    }

    @Test func otherPathsAre404() async throws {
        try await Self.withPhone(auth: false) { port, group in
            let url = try #require(HTTPURL("http://127.0.0.1:\(port)/other"))
            let response = try await SimpleHTTPClient.request(.POST, url, from: nil, group: group)
            #expect(response.status == 404)
        }
    }

    static func base64(_ text: String) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let bytes = Array(text.utf8)
        var out = ""
        for i in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = bytes[i..<min(i + 3, bytes.count)]
            let n = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for j in 0..<4 { out.append(j <= chunk.count ? table[Int(n >> (18 - 6 * UInt32(j)) & 63)] : "=") }
        }
        return out
    }
}
