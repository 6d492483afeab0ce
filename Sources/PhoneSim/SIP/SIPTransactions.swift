import NIOCore
import Synchronization

/// How a client transaction ended.
enum SIPTransactionOutcome: Sendable {
    /// A final (>= 200) response.
    case response(SIPMessage)
    /// No final response before the deadline.
    case timedOut
    /// The request could not be sent (socket closed, write failed).
    case sendFailed
}

/// The client transactions waiting for a final response, keyed by their
/// Via branch (unique per request); responses are matched by branch, then
/// checked against the Call-ID and CSeq the request had.
final class SIPTransactions: Sendable {
    struct Pending {
        var callID: String
        var cseq: Int
        var promise: EventLoopPromise<SIPTransactionOutcome>
    }

    private let pending = Mutex<[String: Pending]>([:])

    /// Starts waiting for the answer to a request with this branch.
    func open(branch: String, callID: String, cseq: Int, promise: EventLoopPromise<SIPTransactionOutcome>) {
        pending.withLock { $0[branch] = Pending(callID: callID, cseq: cseq, promise: promise) }
    }

    /// Whether the transaction still waits (retransmissions stop otherwise).
    func isOpen(branch: String) -> Bool {
        pending.withLock { $0[branch] != nil }
    }

    /// Ends the transaction with `outcome` if it is still open.
    func finish(branch: String, _ outcome: SIPTransactionOutcome) {
        let entry = pending.withLock { $0.removeValue(forKey: branch) }
        entry?.promise.succeed(outcome)
    }

    /// Delivers a received response: provisional ones and strays are ignored.
    func deliver(_ response: SIPMessage) {
        guard let status = response.status, status >= 200, let branch = response.topViaBranch else { return }
        let entry: Pending? = pending.withLock { table in
            guard let candidate = table[branch], candidate.callID == response.headers["Call-ID"],
                  candidate.cseq == response.cseq?.number else { return nil }
            return table.removeValue(forKey: branch)
        }
        entry?.promise.succeed(.response(response))
    }

    /// Ends every open transaction (the socket closed).
    func failAll() {
        let all = pending.withLock { table in
            defer { table.removeAll() }
            return Array(table.values)
        }
        for entry in all { entry.promise.succeed(.sendFailed) }
    }
}

/// Parses datagrams on the client socket and hands responses over.
final class SIPClientHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let transactions: SIPTransactions

    init(transactions: SIPTransactions) { self.transactions = transactions }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let message = try? SIPMessage(parsing: envelope.data.readableBytesView) else { return }
        transactions.deliver(message)
    }

    func channelInactive(context: ChannelHandlerContext) {
        transactions.failAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port unreachable and the like: keep reading; timers decide.
    }
}
