/// A tiny HTTP/1.1 server standing in for a phone's `/xmlService`, on
/// 127.0.0.1 and a free port: it can demand Digest (verified the RFC 7616
/// way, independently of the client's code) or Basic, and answer in the
/// ways real phones and networks fail.
import Crypto
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

final class TestPhoneServer: Sendable {
    enum Auth: Sendable {
        case none
        case basic(user: String, password: String)
        /// `algorithm` is `MD5` or `SHA-256`; `qop: false` is the legacy RFC 2069 form.
        case digest(algorithm: String, qop: Bool, user: String, password: String)
    }

    enum Behaviour: Sendable {
        /// 200 with this body.
        case reply(String)
        /// 200 with this body, the head only after `delay`.
        case slowHead(Duration, String)
        /// 200 head at once, the body only after `delay`.
        case slowBody(Duration, String)
        /// This status, a short text body.
        case status(Int)
        /// Closes the connection without answering.
        case close
        /// 200 with `size` bytes of XML-ish filler, chunked or with Content-Length.
        case large(size: Int, chunked: Bool)
    }

    /// One request as the server saw it.
    struct Seen: Sendable {
        var method: String
        var uri: String
        var contentType: String?
        var authorization: String?
        var body: String
        /// Whether its credentials were accepted (or none were demanded).
        var accepted: Bool
    }

    static let realm = "fanvil"
    static let opaque = "5ccc069c403ebaf9f0171e9517f40e41"

    let auth: Auth
    let behaviour: Behaviour
    let nonce: String
    private let channel: any Channel
    private let state = Mutex<(seen: [Seen], lastNC: Int, largeBodies: [Bool])>(([], 0, []))

    var port: Int { channel.localAddress?.port ?? 0 }
    var seen: [Seen] { state.withLock { $0.seen } }
    /// For `.large`: whether each body was written out in full (`false` when
    /// the client closed the connection before reading it all).
    var largeBodies: [Bool] { state.withLock { $0.largeBodies } }

    fileprivate func recordLargeBody(complete: Bool) {
        state.withLock { $0.largeBodies.append(complete) }
    }

    private init(auth: Auth, behaviour: Behaviour, nonce: String, channel: any Channel) {
        self.auth = auth
        self.behaviour = behaviour
        self.nonce = nonce
        self.channel = channel
    }

    /// - Parameter tls: serve HTTPS with `TestCertificate` (self-signed).
    static func start(auth: Auth = .none, behaviour: Behaviour, tls: Bool = false) async throws -> TestPhoneServer {
        let nonce = "n" + String(UInt64.random(in: .min ... .max), radix: 16)
        let sslContext = try tls ? NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: [.certificate(NIOSSLCertificate(bytes: Array(TestCertificate.certificate.utf8),
                                                              format: .pem))],
            privateKey: .privateKey(NIOSSLPrivateKey(bytes: Array(TestCertificate.privateKey.utf8), format: .pem))
        )) : nil
        let box = Mutex<TestPhoneServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let server = box.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(PhoneHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = TestPhoneServer(auth: auth, behaviour: behaviour, nonce: nonce, channel: channel)
        box.withLock { $0 = server }
        return server
    }

    func stop() async throws {
        try await channel.close()
    }

    /// A port nothing listens on: bound, then closed.
    static func closedPort() async throws -> Int {
        let server = try await start(behaviour: .status(500))
        let port = server.port
        try await server.stop()
        return port
    }

    /// Records a request and says whether its credentials pass.
    fileprivate func check(_ head: HTTPRequestHead, body: String) -> Bool {
        let authorization = head.headers.first(name: "Authorization")
        let accepted = state.withLock { state in
            let accepted = verify(authorization, method: head.method.rawValue, uri: head.uri, lastNC: &state.lastNC)
            state.seen.append(Seen(method: head.method.rawValue, uri: head.uri,
                                   contentType: head.headers.first(name: "Content-Type"),
                                   authorization: authorization, body: body, accepted: accepted))
            return accepted
        }
        return accepted
    }

    var challenge: String? {
        switch auth {
        case .none: nil
        case .basic: "Basic realm=\"\(Self.realm)\""
        case let .digest(algorithm, qop, _, _):
            "Digest realm=\"\(Self.realm)\", " + (qop ? "qop=\"auth,auth-int\", " : "")
                + "algorithm=\(algorithm), nonce=\"\(nonce)\", opaque=\"\(Self.opaque)\""
        }
    }

    private func verify(_ header: String?, method: String, uri: String, lastNC: inout Int) -> Bool {
        switch auth {
        case .none:
            return true
        case let .basic(user, password):
            return header == "Basic " + base64(Array("\(user):\(password)".utf8))
        case let .digest(algorithm, qop, user, password):
            guard let header, header.hasPrefix("Digest ") else { return false }
            let p = digestParameters(header.dropFirst("Digest ".count))
            guard p["username"] == user, p["realm"] == Self.realm, p["nonce"] == nonce, p["uri"] == uri,
                  p["opaque"] == Self.opaque, (p["algorithm"] ?? "MD5") == algorithm,
                  let response = p["response"]
            else { return false }
            let hash: (String) -> String = { algorithm == "MD5" ? md5Hex($0) : sha256Hex($0) }
            let ha1 = hash("\(user):\(Self.realm):\(password)")
            let ha2 = hash("\(method):\(uri)")
            if qop {
                // The nonce count must grow: a replayed Authorization fails.
                guard p["qop"] == "auth", let ncText = p["nc"], ncText.count == 8, let nc = Int(ncText, radix: 16),
                      nc > lastNC, let cnonce = p["cnonce"], !cnonce.isEmpty
                else { return false }
                guard response == hash("\(ha1):\(nonce):\(ncText):\(cnonce):auth:\(ha2)") else { return false }
                lastNC = nc
                return true
            }
            return p["qop"] == nil && p["nc"] == nil && response == hash("\(ha1):\(nonce):\(ha2)")
        }
    }
}

/// Answers each request per the server's auth and behaviour.
private final class PhoneHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let server: TestPhoneServer
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(server: TestPhoneServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            self.head = head
            body = []
        case var .body(buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            respond(context: context, to: head, body: String(decoding: body, as: UTF8.self))
        }
    }

    private func respond(context: ChannelHandlerContext, to head: HTTPRequestHead, body: String) {
        guard server.check(head, body: body) else {
            var headers = HTTPHeaders()
            if let challenge = server.challenge { headers.add(name: "WWW-Authenticate", value: challenge) }
            write(context: context, status: .unauthorized, headers: headers, body: "401 Unauthorized")
            return
        }
        let loop = context.eventLoop.assumeIsolated()
        switch server.behaviour {
        case let .reply(text):
            write(context: context, status: .ok, body: text)
        case let .slowHead(delay, text):
            loop.scheduleTask(in: TimeAmount(delay)) { self.write(context: context, status: .ok, body: text) }
        case let .slowBody(delay, text):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok,
                                                                         headers: headers))), promise: nil)
            loop.scheduleTask(in: TimeAmount(delay)) {
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        case let .status(code):
            write(context: context, status: HTTPResponseStatus(statusCode: code), body: "status \(code)")
        case .close:
            context.close(promise: nil)
        case let .large(size, chunked):
            var headers = HTTPHeaders()
            if !chunked { headers.add(name: "Content-Length", value: String(size)) }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                          promise: nil)
            let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 << 10)
            var left = size
            while left > 0 {
                let piece = chunk.getSlice(at: 0, length: min(left, chunk.readableBytes))!
                context.write(wrapOutboundOut(.body(.byteBuffer(piece))), promise: nil)
                left -= piece.readableBytes
            }
            let server = server
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { result in
                if case .success = result { server.recordLargeBody(complete: true) } else {
                    server.recordLargeBody(complete: false)
                }
            }
        }
    }

    private func write(context: ChannelHandlerContext, status: HTTPResponseStatus, headers: HTTPHeaders = [:],
                       body: String) {
        var headers = headers
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Content-Type", value: "text/xml")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// `key=value, key="quoted"` pairs of an Authorization header (test copy,
/// independent of the client's parser).
func digestParameters(_ text: Substring) -> [String: String] {
    var result: [String: String] = [:]
    var rest = text
    while let equals = rest.firstIndex(of: "=") {
        let key = rest[..<equals].filter { $0 != " " && $0 != "," }
        rest = rest[rest.index(after: equals)...]
        if rest.first == "\"" {
            rest = rest.dropFirst()
            var value = ""
            while let c = rest.first {
                rest = rest.dropFirst()
                if c == "\\", let next = rest.first { value.append(next); rest = rest.dropFirst() }
                else if c == "\"" { break }
                else { value.append(c) }
            }
            result[String(key)] = value
        } else {
            let end = rest.firstIndex(of: ",") ?? rest.endIndex
            result[String(key)] = String(rest[..<end]).filter { $0 != " " }
            rest = rest[end...]
        }
    }
    return result
}

func md5Hex(_ text: String) -> String { hex(Insecure.MD5.hash(data: Array(text.utf8))) }
func sha256Hex(_ text: String) -> String { hex(SHA256.hash(data: Array(text.utf8))) }
private func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// RFC 4648 base64 (no Foundation needed here).
func base64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var out = ""
    var index = 0
    while index < bytes.count {
        let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
        let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
        for position in 0..<4 {
            out.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : "=")
        }
        index += 3
    }
    return out
}
