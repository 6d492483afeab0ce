import NIOCore
import NIOPosix
import Testing
@testable import PhoneSim

/// SIPRegisterClient against a scripted UDP peer: 1xx ignored, 407 answered
/// with Proxy-Authorization, responses of other transactions ignored.
@Suite struct SIPClientScriptedTests {
    /// Serves `script` (request -> replies) on 127.0.0.1:<ephemeral> while `body` runs.
    func withPeer(
        _ script: @escaping @Sendable (SIPMessage) -> [SIPMessage], _ body: (Int) async throws -> Void
    ) async throws {
        let peer = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ScriptedPeer(script: script)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(peer.localAddress?.port)
        do { try await body(port) } catch { try? await peer.close(); throw error }
        try await peer.close()
    }

    func account(port: Int) -> SIPAccount {
        SIPAccount(user: "1001", authUser: "a1001", password: "pw", registrar: "127.0.0.1", port: port, displayName: "Desk 1")
    }

    /// A response to `request` with its Via, From, To, Call-ID and CSeq.
    static func reply(_ request: SIPMessage, _ status: Int, _ extra: [(String, String)] = []) -> SIPMessage {
        var headers = SIPHeaders()
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] { if let v = request.headers[name] { headers.add(name, v) } }
        for (n, v) in extra { headers.add(n, v) }
        return .response(status, headers: headers)
    }

    @Test func provisionalIgnoredAndProxyChallengeAnswered() async throws {
        let seen = LockedArray<SIPMessage>()
        try await withPeer({ request in
            seen.append(request)
            guard let answer = request.headers["Proxy-Authorization"] else {
                let challenge = SIPDigestChallenge(realm: "proxy", nonce: "n407", algorithm: .sha256)
                return [Self.reply(request, 100), Self.reply(request, 407, [("Proxy-Authenticate", challenge.headerValue)])]
            }
            let ok = SIPDigestCredentials(header: answer)?.verify(password: "pw", method: "REGISTER") == true
            return [Self.reply(request, 100), Self.reply(request, ok ? 200 : 403)]
        }) { port in
            let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
            #expect(await client.register(account(port: port), expires: 600, timeout: .seconds(30)) == 200)
            await client.close()
        }
        var requests: [SIPMessage] = []  // retransmissions dropped
        for request in seen.all where !requests.contains(where: { $0.topViaBranch == request.topViaBranch }) { requests.append(request) }
        try #require(requests.count == 2)
        let (first, second) = (requests[0], requests[1])
        #expect(first.startLine.requestURI?.hasPrefix("sip:127.0.0.1:") == true && first.startLine == second.startLine)
        #expect(first.headers["Call-ID"] == second.headers["Call-ID"])
        #expect(first.cseq?.number == 1 && second.cseq?.number == 2)
        #expect(first.topViaBranch != second.topViaBranch && first.topViaBranch?.hasPrefix("z9hG4bK") == true)
        #expect(first.headers["Via"]?.hasSuffix(";rport") == true)
        #expect(first.headers["Max-Forwards"] == "70" && first.headers["Expires"] == "600")
        #expect(first.headers["User-Agent"]?.hasPrefix("Fanvil") == true)
        #expect(first.headers["From"]?.hasPrefix("\"Desk 1\" <sip:1001@127.0.0.1>;tag=") == true)
        #expect(first.headers["Contact"]?.hasPrefix("<sip:1001@127.0.0.1:") == true)
        let credentials = try #require(SIPDigestCredentials(header: second.headers["Proxy-Authorization"] ?? ""))
        #expect(credentials.username == "a1001" && credentials.realm == "proxy" && credentials.algorithm == .sha256)
        #expect(credentials.uri == second.startLine.requestURI && credentials.nc == "00000001" && credentials.qop == "auth")
        #expect(!requests.contains { $0.serialized().contains(subsequence: Array("pw\"".utf8)) })
    }

    @Test func strayResponsesAreIgnored() async throws {
        // Answers for another Call-ID or CSeq come first; only the matching 200 ends it.
        try await withPeer({ request in
            var otherCall = Self.reply(request, 403)
            otherCall.headers.set("Call-ID", "someone-else")
            var otherCSeq = Self.reply(request, 500)
            otherCSeq.headers.set("CSeq", "99 REGISTER")
            return [otherCall, otherCSeq, Self.reply(request, 200)]
        }) { port in
            let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
            #expect(await client.register(account(port: port), timeout: .seconds(30)) == 200)
            await client.close()
        }
    }

    @Test func challengeWithoutUsableDigestIsFinal() async throws {
        try await withPeer({ [Self.reply($0, 401, [("WWW-Authenticate", "Basic realm=\"x\"")])] }) { port in
            let client = SIPRegisterClient(localHost: "127.0.0.1", localPort: 0, group: MultiThreadedEventLoopGroup.singleton)
            #expect(await client.register(account(port: port), timeout: .seconds(30)) == 401)
            await client.close()
        }
    }
}

extension SIPMessage.StartLine {
    var requestURI: String? {
        if case let .request(_, uri) = self { return uri }
        return nil
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<($0 + subsequence.count)]) == subsequence }
    }
}

/// Replies to each request as the script says.
final class ScriptedPeer: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let script: @Sendable (SIPMessage) -> [SIPMessage]
    init(script: @escaping @Sendable (SIPMessage) -> [SIPMessage]) { self.script = script }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let request = try? SIPMessage(parsing: envelope.data.readableBytesView) else { return }
        for reply in script(request) {
            let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: reply.serialized()))
            context.write(Self.wrapOutboundOut(out), promise: nil)
        }
        context.flush()
    }
}
