import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One SIP account a simulated phone registers (a `sip.line.N.*` block of its config).
public struct SIPAccount: Sendable, Hashable {
    public var user: String          // sip.line.N.PhoneNumber (the AOR user part)
    public var authUser: String      // sip.line.N.RegisterUser (falls back to user)
    public var password: String      // sip.line.N.RegisterPswd
    public var registrar: String     // sip.line.N.RegisterAddr (IPv4 text or host)
    public var port: Int             // sip.line.N.RegisterPort (default 5060)
    public var displayName: String   // sip.line.N.DisplayName

    public init(user: String, authUser: String, password: String, registrar: String, port: Int = 5060, displayName: String = "") {
        self.user = user; self.authUser = authUser; self.password = password
        self.registrar = registrar; self.port = port; self.displayName = displayName
    }
}

/// Registers SIP accounts over UDP from one local address (one per simulated
/// phone). The socket is bound on first use; several lines may register at
/// once through one client (responses are matched by Via branch, Call-ID
/// and CSeq). Requests are retransmitted on RFC 3261 timer A (500 ms,
/// doubling up to 4 s) until a final answer or the timeout; a 401/407 is
/// answered once with Digest credentials. Passwords are never logged.
public final class SIPRegisterClient: Sendable {
    public let localHost: String
    public let localPort: Int
    public let userAgent: String
    let group: any EventLoopGroup
    let logger: Logger
    let transactions = SIPTransactions()

    private let socket: LazyUDPSocket

    static let t1 = TimeAmount.milliseconds(500)
    static let t2 = TimeAmount.seconds(4)

    /// localHost: the phone's leased IPv4 address; localPort 0 = ephemeral.
    public init(
        localHost: String, localPort: Int, group: any EventLoopGroup,
        userAgent: String = "Fanvil X4U 2.12.16 (phonesim)", logger: Logger = Logger(label: "phonesim.sip")
    ) {
        self.localHost = localHost
        self.localPort = localPort
        self.group = group
        self.userAgent = userAgent
        self.logger = logger
        socket = LazyUDPSocket(host: localHost, port: localPort, group: group)
    }

    /// Sends REGISTER (answering one 401/407 challenge with digest), returns the final
    /// SIP status code of the exchange: 200 registered, the registrar's 4xx/5xx (403 for
    /// a wrong password, 401 when challenged again), 408 when no final answer came within
    /// `timeout` (after RFC 3261 timer-A retransmissions), 503 when sending failed.
    public func register(_ account: SIPAccount, expires: Int = 3600, timeout: Duration = .seconds(8)) async -> Int {
        let deadline = NIODeadline.now() + Self.timeAmount(timeout)
        guard let channel = await channel(), let remote = Self.address(account.registrar, port: account.port) else {
            return 503
        }
        let dialog = SIPRegisterRequest(
            account: account, localHost: localHost, localPort: channel.localAddress?.port ?? localPort,
            expires: expires, userAgent: userAgent)
        var outcome = await transact(dialog.request(cseq: 1), on: channel, to: remote, deadline: deadline)
        if case let .response(response) = outcome, let status = response.status, status == 401 || status == 407 {
            let (challengeName, answerName) = status == 401
                ? ("WWW-Authenticate", "Authorization") : ("Proxy-Authenticate", "Proxy-Authorization")
            guard let challenge = response.headers.values(challengeName).lazy.compactMap(SIPDigestChallenge.init(header:)).first
            else { return status }
            let credentials = challenge.credentials(
                username: account.authUser.isEmpty ? account.user : account.authUser, password: account.password,
                method: "REGISTER", uri: dialog.requestURI, cnonce: SIPRegisterRequest.randomToken())
            outcome = await transact(
                dialog.request(cseq: 2, authorization: (answerName, credentials.headerValue)),
                on: channel, to: remote, deadline: deadline)
        }
        let status: Int
        switch outcome {
        case let .response(response): status = response.status ?? 500
        case .timedOut: status = 408
        case .sendFailed: status = 503
        }
        logger.debug("REGISTER \(account.user) via \(account.registrar):\(account.port) from \(localHost): \(status)")
        return status
    }

    /// Closes the socket. Idempotent.
    public func close() async {
        await socket.close()
        transactions.failAll()
    }

    /// The bound socket; nil when binding failed or the client is closed.
    func channel() async -> (any Channel)? {
        let transactions = transactions
        do {
            return try await socket.channel { loop in
                DatagramBootstrap(group: loop).channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SIPClientHandler(transactions: transactions))
                    }
                }
            }
        } catch {
            logger.warning("cannot bind \(localHost):\(localPort): \(error)")
            return nil
        }
    }

    /// Sends `request` and retransmits it (timer A) until its transaction ends.
    func transact(
        _ request: SIPMessage, on channel: any Channel, to remote: SocketAddress, deadline: NIODeadline
    ) async -> SIPTransactionOutcome {
        guard let branch = request.topViaBranch, let callID = request.headers["Call-ID"], let cseq = request.cseq?.number
        else { return .sendFailed }
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: SIPTransactionOutcome.self)
        let transactions = transactions
        transactions.open(branch: branch, callID: callID, cseq: cseq, promise: promise)
        let bytes = request.serialized()
        loop.execute {
            let timer = loop.scheduleTask(deadline: deadline) { transactions.finish(branch: branch, .timedOut) }
            promise.futureResult.whenComplete { _ in timer.cancel() }
            Self.send(bytes, branch: branch, on: channel, to: remote, interval: Self.t1, first: true, transactions: transactions)
        }
        return (try? await promise.futureResult.get()) ?? .sendFailed
    }

    /// One (re)transmission, scheduling the next while the transaction is open.
    static func send(
        _ bytes: [UInt8], branch: String, on channel: any Channel, to remote: SocketAddress,
        interval: TimeAmount, first: Bool, transactions: SIPTransactions
    ) {
        guard transactions.isOpen(branch: branch) else { return }
        let envelope = AddressedEnvelope(remoteAddress: remote, data: channel.allocator.buffer(bytes: bytes))
        channel.writeAndFlush(envelope).whenFailure { _ in
            if first { transactions.finish(branch: branch, .sendFailed) }
        }
        channel.eventLoop.scheduleTask(in: interval) {
            send(bytes, branch: branch, on: channel, to: remote, interval: min(interval * 2, t2), first: false, transactions: transactions)
        }
    }

    static func address(_ host: String, port: Int) -> SocketAddress? {
        if let address = try? SocketAddress(ipAddress: host, port: port) { return address }
        return try? SocketAddress.makeAddressResolvingHost(host, port: port)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
