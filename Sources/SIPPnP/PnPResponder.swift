import DHCPv4
import SIPWire

/// The SIP PnP answering logic without sockets or clocks: datagrams and the
/// time go in, datagrams to send come out. `SIPPnPService` owns one and
/// feeds it from one task, so it needs no lock.
///
/// A SUBSCRIBE that `PnPSubscribe` accepts and `admit` allows is answered
/// 200 OK (to the source address, RFC 3261 §18.2.2) and followed by a
/// NOTIFY with the provisioning URL, retransmitted like a non-INVITE
/// client transaction (timer E: 500 ms doubling up to 4 s; timer F: given
/// up after 32 s) until the subscriber answers it. A retransmitted
/// SUBSCRIBE (same Call-ID, From tag and CSeq, remembered 32 s) gets the
/// same 200 again and starts no second NOTIFY. Everything else is dropped
/// without an answer: nobody answers errors to a multicast request.
public struct PnPResponder {
    /// Our address on each interface (index = `PnPDatagram.interface`), for
    /// Via and Contact.
    public var localAddresses: [String]
    public var localPort: Int
    /// The provisioning URL; `$mac` becomes the subscriber's 12-digit MAC.
    public var url: String
    /// Whether this subscriber may be told the URL (classes, inventory).
    public var admit: (PnPSubscribe) -> Bool
    /// Random tokens for tags and branches (tests make them predictable).
    public var makeToken: () -> String = { String(UInt64.random(in: 1...UInt64.max), radix: 36) }
    /// At most this many subscriptions remembered at once.
    public var capacity = 1024

    static let t1 = 0.5, t2 = 4.0, timeout = 32.0

    private var limiter = RateLimiter(burst: 20, rate: 5)
    private var subscriptions: [Key: Subscription] = [:]

    struct Key: Hashable {
        var callID: String
        var fromTag: String?
        var cseq: Int
    }

    struct Subscription {
        var ok: PnPDatagram
        var notify: PnPDatagram
        var answer: PnPAnswer
        var created: Double
        var nextSend: Double
        var interval: Double
        /// The subscriber answered the NOTIFY, or we gave up.
        var done = false
    }

    public init(localAddresses: [String], localPort: Int, url: String, admit: @escaping (PnPSubscribe) -> Bool) {
        self.localAddresses = localAddresses
        self.localPort = localPort
        self.url = url
        self.admit = admit
    }

    /// What one received datagram led to.
    public struct Reaction {
        public var outcome: PnPOutcome
        public var send: [PnPDatagram] = []
        /// Set for `.answered`: whom we told what.
        public var answer: PnPAnswer?
    }

    public mutating func receive(_ datagram: PnPDatagram, now: Double) -> Reaction {
        guard limiter.allow(datagram.host, now: now) else { return Reaction(outcome: .rateLimited) }
        guard let message = try? SIPMessage(parsing: datagram.bytes) else { return Reaction(outcome: .malformed) }
        if message.status != nil { return notifyAnswered(message) }
        let subscribe: PnPSubscribe
        switch PnPSubscribe.read(message) {
        case let .success(read): subscribe = read
        case let .failure(rejection): return Reaction(outcome: PnPOutcome(rejection))
        }
        let key = Key(callID: subscribe.callID, fromTag: subscribe.fromTag, cseq: subscribe.cseq)
        if let known = subscriptions[key] { return Reaction(outcome: .retransmission, send: [known.ok]) }
        guard admit(subscribe) else { return Reaction(outcome: .unknownDevice) }
        purge(now: now)
        guard subscriptions.count < capacity, localAddresses.indices.contains(datagram.interface),
              let via = message.topVia else { return Reaction(outcome: .busy) }
        let subscription = answer(message, subscribe, via: via, from: datagram, now: now)
        subscriptions[key] = subscription
        return Reaction(outcome: .answered, send: [subscription.ok, subscription.notify], answer: subscription.answer)
    }

    /// NOTIFYs due for a retransmission at `now`, and the answers given up
    /// on (no reply within 32 s).
    public mutating func tick(now: Double) -> (send: [PnPDatagram], gaveUp: [PnPAnswer]) {
        var send: [PnPDatagram] = [], gaveUp: [PnPAnswer] = []
        for (key, var s) in subscriptions where !s.done && now >= s.nextSend {
            if now - s.created >= Self.timeout {
                s.done = true
                gaveUp.append(s.answer)
            } else {
                send.append(s.notify)
                s.interval = min(s.interval * 2, Self.t2)
                s.nextSend = now + s.interval
            }
            subscriptions[key] = s
        }
        purge(now: now)
        return (send, gaveUp)
    }

    /// Subscriptions remembered (answered or still notifying).
    public var inFlight: Int { subscriptions.count }

    private mutating func answer(
        _ message: SIPMessage, _ subscribe: PnPSubscribe, via: SIPVia, from datagram: PnPDatagram, now: Double
    ) -> Subscription {
        let local = "\(localAddresses[datagram.interface]):\(localPort)"
        let tag = makeToken()
        let ok = PnPMessages.ok(
            to: message, topVia: via.stamped(sourceHost: datagram.host, sourcePort: datagram.port),
            localTag: tag, contact: "sip:\(local)")
        let okTo = via.responseDestination(sourceHost: datagram.host, sourcePort: datagram.port)
        let (target, notifyPort) = Self.notifyTarget(message, subscribe, source: datagram, responsePort: okTo.port)
        let url = url.replacing("$mac", with: subscribe.mac.compact)
        let notify = PnPMessages.notify(
            for: message, subscribe: subscribe, target: target,
            via: "SIP/2.0/UDP \(local);branch=z9hG4bK\(makeToken());rport", localTag: tag,
            contact: "sip:\(local)", url: url)
        let answer = PnPAnswer(subscribe: subscribe, host: datagram.host, port: notifyPort, url: url, interface: datagram.interface)
        return Subscription(
            ok: PnPDatagram(bytes: ok.serialized(), host: okTo.host, port: okTo.port, interface: datagram.interface),
            notify: PnPDatagram(bytes: notify.serialized(), host: datagram.host, port: notifyPort, interface: datagram.interface),
            answer: answer, created: now, nextSend: now + Self.t1, interval: Self.t1)
    }

    /// The NOTIFY's Request-URI (the subscriber's Contact, RFC 6665 §4.2)
    /// and port. It always goes to the address the SUBSCRIBE came from: the
    /// Contact's port is used only when its host is that address, so a
    /// forged Contact cannot aim our NOTIFYs at a third party.
    static func notifyTarget(
        _ message: SIPMessage, _ subscribe: PnPSubscribe, source: PnPDatagram, responsePort: Int
    ) -> (String, Int) {
        let fallback = ("sip:\(subscribe.mac.compact)@\(source.host):\(responsePort)", responsePort)
        guard let contact = message.headers["Contact"], let uri = SIPHeaderValue.uri(contact),
              uri.lowercased().hasPrefix("sip:"),
              uri.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>\"".unicodeScalars.contains($0) })
        else { return fallback }
        let afterUser = uri.split(separator: "@", maxSplits: 1).last.map(String.init) ?? ""
        var hostPort = afterUser.hasPrefix("sip:") ? String(afterUser.dropFirst(4)) : afterUser
        hostPort = String(hostPort.split(separator: ";", maxSplits: 1).first ?? "")
        let parts = hostPort.split(separator: ":")
        guard parts.first.map(String.init) == source.host else { return fallback }
        guard parts.count <= 2, let port = parts.count == 2 ? Int(parts[1]) : 5060, (1...65535).contains(port)
        else { return fallback }
        return (uri, port)
    }

    private mutating func notifyAnswered(_ response: SIPMessage) -> Reaction {
        guard let cseq = response.cseq, cseq.method == "NOTIFY", let callID = response.headers["Call-ID"],
              let status = response.status, status >= 200,
              let key = subscriptions.first(where: { $0.key.callID == callID && !$0.value.done })?.key
        else { return Reaction(outcome: .notSubscribe) }
        subscriptions[key]?.done = true
        return Reaction(outcome: .notifyAnswered)
    }

    /// Forgets subscriptions older than 32 s whose NOTIFY is over.
    private mutating func purge(now: Double) {
        subscriptions = subscriptions.filter { !$0.value.done || now - $0.value.created < Self.timeout }
    }
}

/// One PnP answer: who asked (and from where) and the URL told.
public struct PnPAnswer: Sendable, Equatable {
    public var subscribe: PnPSubscribe
    public var host: String
    public var port: Int
    public var url: String
    public var interface: Int
}
