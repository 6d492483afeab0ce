import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// `PhoneAPIClient` over HTTP(S) with AsyncHTTPClient.
///
/// Each request is a `POST` of the request body with `Content-Type:
/// text/xml`. The first request to a phone goes without credentials; a 401
/// with a Digest (MD5, SHA-256) or Basic challenge is answered once (Basic
/// over plain `http` only when the credentials allow it, see
/// `PhoneCredentials.basicOverHTTP`), and the challenge is remembered so that later requests to the same phone carry
/// `Authorization` from the start (see `AuthCache`).
///
/// Nothing secret is logged: requests are logged at debug level with the
/// endpoint, command, status and error reason only.
public struct HTTPPhoneAPIClient: PhoneAPIClient {
    /// How certificates of HTTPS phones are checked.
    public enum TLSVerification: Sendable, Equatable {
        /// The platform's trust roots and the host name, as for any server.
        case full
        /// No check at all: phones ship self-signed certificates. The
        /// connection is encrypted but not authenticated.
        case none
    }

    /// Per-request limits and TLS.
    public struct Settings: Sendable, Equatable {
        /// The whole exchange (connect, TLS, request, reply head and body,
        /// the Digest retry included) must end within this.
        public var timeout: Duration
        /// Connection establishment. Applied by the `init(eventLoopGroup:…)`
        /// convenience, which configures its own `HTTPClient`; with an
        /// injected `HTTPClient` its configured connect timeout applies,
        /// always bounded by `timeout`.
        public var connectTimeout: Duration
        public var tlsVerification: TLSVerification

        public init(
            timeout: Duration = .seconds(5), connectTimeout: Duration = .seconds(5),
            tlsVerification: TLSVerification = .full
        ) {
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.tlsVerification = tlsVerification
        }
    }

    public let settings: Settings
    private let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    private let authCache = AuthCache()
    private let logger: Logger

    /// A client on an `HTTPClient` the caller owns (and shuts down).
    public init(httpClient: HTTPClient, settings: Settings = Settings(), logger: Logger = Self.silentLogger) {
        self.httpClient = httpClient
        self.ownsHTTPClient = false
        self.settings = settings
        self.logger = logger
    }

    /// A client with its own `HTTPClient` on `eventLoopGroup`: connect
    /// timeout from `settings`, no redirects, no retried connection attempts
    /// (a refused connection fails at once). Call `shutdown()` when done.
    public init(eventLoopGroup: any EventLoopGroup, settings: Settings = Settings(),
                logger: Logger = Self.silentLogger) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: TimeAmount(settings.connectTimeout))
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        self.httpClient = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        self.ownsHTTPClient = true
        self.settings = settings
        self.logger = logger
    }

    /// Shuts down the `HTTPClient` made by `init(eventLoopGroup:…)`; does
    /// nothing for an injected one.
    public func shutdown() async throws {
        if ownsHTTPClient { try await httpClient.shutdown() }
    }

    /// A logger that drops everything, the default.
    public static let silentLogger = Logger(label: "autoprov.phone-api", factory: { _ in SwiftLogNoOpLogHandler() })

    public func send(
        _ request: XMLServiceRequest, to endpoint: PhoneEndpoint, credentials: PhoneCredentials?
    ) async throws(PhoneAPIError) -> XMLServiceReply {
        let deadline = ContinuousClock.now + settings.timeout
        do {
            let body = try await Deadline.run(until: deadline) { [self] in
                try await authenticatedExchange(request, endpoint: endpoint, credentials: credentials,
                                                deadline: .now() + TimeAmount(settings.timeout))
            }
            let reply = try XMLServiceReply(parsing: body)
            logger.debug("xmlService reply", metadata: [
                "phone": "\(endpoint.authority)", "command": "\(request.command.rawValue)",
                "retCode": "\(reply.retCode.map(String.init) ?? "none")",
            ])
            return reply
        } catch {
            let failure: PhoneAPIError = switch error {
            case let error as XMLServiceReplyError: .badReply(error)
            default: .transport(error)
            }
            logger.debug("xmlService failed", metadata: [
                "phone": "\(endpoint.authority)", "command": "\(request.command.rawValue)",
                "reason": "\(failure.reason)",
            ])
            throw failure
        }
    }

    /// The body of a 200 reply, after answering at most one challenge.
    private func authenticatedExchange(
        _ request: XMLServiceRequest, endpoint: PhoneEndpoint, credentials: PhoneCredentials?,
        deadline: NIODeadline
    ) async throws -> [UInt8] {
        let key = endpoint.authenticationKey
        var authorization: String?
        if let credentials, let use = authCache.nextUse(for: key), Self.mayAnswer(use.challenge, endpoint, credentials) {
            authorization = AuthorizationHeader.value(
                answering: use.challenge, credentials: credentials, method: "POST", uri: endpoint.path, nc: use.nc)
        }
        var response = try await exchange(request, endpoint: endpoint, authorization: authorization,
                                          deadline: deadline)
        if response.status == 401 {
            guard let credentials, let challenge = AuthChallenge.preferred(response.challenges) else {
                authCache.forget(key)
                throw PhoneAPIError.authRefused(status: 401)
            }
            guard Self.mayAnswer(challenge, endpoint, credentials) else { throw PhoneAPIError.basicOverHTTP }
            let use = authCache.remember(challenge, for: key)
            authorization = AuthorizationHeader.value(
                answering: use.challenge, credentials: credentials, method: "POST", uri: endpoint.path, nc: use.nc)
            response = try await exchange(request, endpoint: endpoint, authorization: authorization,
                                          deadline: deadline)
            if response.status == 401 {
                authCache.forget(key)
                throw PhoneAPIError.authRefused(status: 401)
            }
        }
        guard response.status == 200 else { throw PhoneAPIError.httpStatus(response.status) }
        return try response.body.get()
    }

    /// One TLS handshake with the phone, on a connection of its own, within
    /// the request timeout (see `PhoneCertificateProbe`).
    public func certificateFingerprint(of endpoint: PhoneEndpoint) async throws(PhoneAPIError) -> String? {
        guard endpoint.scheme == .https else { return nil }
        do {
            return try await PhoneCertificateProbe.fingerprint(
                host: endpoint.host, port: endpoint.port, deadline: .now + settings.timeout,
                group: httpClient.eventLoopGroup)
        } catch {
            let failure = PhoneAPIError.transport(error)
            logger.debug("certificate probe failed", metadata: ["phone": "\(endpoint.authority)", "reason": "\(failure.reason)"])
            throw failure
        }
    }

    /// Basic over plain `http` only when the credentials allow it; anything
    /// else (Digest, or any scheme over `https`) always.
    static func mayAnswer(_ challenge: AuthChallenge, _ endpoint: PhoneEndpoint, _ credentials: PhoneCredentials) -> Bool {
        challenge != .basic || endpoint.scheme == .https || credentials.basicOverHTTP
    }

    /// A reply's status, challenges and body (or why the body was refused).
    private struct Response {
        var status: Int
        var challenges: [String]
        var body: Result<[UInt8], XMLServiceReplyError>
    }

    /// One POST and its whole reply.
    private func exchange(
        _ request: XMLServiceRequest, endpoint: PhoneEndpoint, authorization: String?, deadline: NIODeadline
    ) async throws -> Response {
        var post = HTTPClientRequest(url: endpoint.url)
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "text/xml")
        if let authorization { post.headers.add(name: "Authorization", value: authorization) }
        let bytes = ByteBuffer(string: request.body)
        post.body = .bytes(bytes)
        if endpoint.scheme == .https {
            // Set on every HTTPS request, so an injected HTTPClient's own TLS
            // configuration never loosens (or tightens) `tlsVerification`.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = settings.tlsVerification == .full ? .fullVerification : .none
            post.tlsConfiguration = tls
        }
        let response = try await httpClient.execute(post, deadline: deadline, logger: logger)
        let status = Int(response.status.code)
        let body = try await Self.readBody(response)
        return Response(status: status, challenges: response.headers["WWW-Authenticate"],
                        body: body)
    }

    /// The body up to `XMLServiceReply.maximumReplySize`; stops reading
    /// (and so drops the connection) as soon as it is exceeded.
    private static func readBody(_ response: HTTPClientResponse) async throws -> Result<[UInt8], XMLServiceReplyError> {
        let limit = XMLServiceReply.maximumReplySize
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
            return .failure(.tooLarge(size: length, limit: limit))
        }
        var bytes: [UInt8] = []
        for try await buffer in response.body {
            if bytes.count + buffer.readableBytes > limit {
                return .failure(.tooLarge(size: bytes.count + buffer.readableBytes, limit: limit))
            }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return .success(bytes)
    }
}
