import NIOCore
import NIOHTTP1

/// What the phone service needs of an HTTP request.
public struct PhoneRequest: Sendable {
    public var method: HTTPMethod
    /// The raw request target (`/0c383e07e16c.cfg?x`), as sent.
    public var target: String
    public var userAgent: String?
    public var authorization: String?
    public var remote: SocketAddress?

    public init(method: HTTPMethod, target: String, userAgent: String? = nil, authorization: String? = nil, remote: SocketAddress? = nil) {
        self.method = method
        self.target = target
        self.userAgent = userAgent
        self.authorization = authorization
        self.remote = remote
    }
}

/// Its answer; the server adds framing headers and drops the body for HEAD.
public struct PhoneResponse: Sendable, Equatable {
    public var status: HTTPResponseStatus
    public var contentType: String
    public var headers: [(String, String)]
    public var body: String
    /// The body's bytes when they are already made (a cached file).
    public var bytes: ByteBuffer?

    public init(
        status: HTTPResponseStatus, contentType: String = "text/plain; charset=utf-8", headers: [(String, String)] = [],
        body: String, bytes: ByteBuffer? = nil
    ) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
        self.bytes = bytes
    }

    public static func == (a: PhoneResponse, b: PhoneResponse) -> Bool {
        a.status == b.status && a.contentType == b.contentType && a.body == b.body
            && a.headers.map { "\($0.0): \($0.1)" } == b.headers.map { "\($0.0): \($0.1)" }
    }
}
