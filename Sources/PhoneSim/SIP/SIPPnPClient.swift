#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Synchronization

/// What a Fanvil phone does when DHCP gave it no provisioning URL (FANVIL.md
/// §1, RFC 6080): from its own address, multicast
/// `SUBSCRIBE sip:<mac>@224.0.1.75` with
/// `Event: ua-profile;profile-type="device";vendor="Fanvil";model=...;version=...`
/// to the PnP group, retransmitted on timer A (500 ms doubling up to 4 s)
/// until the 200 OK; then wait for the NOTIFY, answer it 200 OK and take
/// its `application/url` body as the provisioning URL.
public struct SIPPnPClient: Sendable {
    public var localHost: String
    public var mac: String
    public var model: String
    public var firmware: String
    public var group: String
    public var port: Int
    public var userAgent: String

    public init(localHost: String, mac: String, model: String, firmware: String, group: String, port: Int, userAgent: String) {
        self.localHost = localHost
        self.mac = mac
        self.model = model
        self.firmware = firmware
        self.group = group
        self.port = port
        self.userAgent = userAgent
    }

    /// The URL the NOTIFY carried, or nil when none came within `timeout`.
    public func discover(loops: any EventLoopGroup, timeout: Duration = .seconds(8)) async -> String? {
        let (inbox, sink) = AsyncStream.makeStream(of: (SIPMessage, SocketAddress).self, bufferingPolicy: .bufferingNewest(64))
        guard let channel = try? await bind(loops: loops, sink: sink),
              let remote = try? SocketAddress(ipAddress: group, port: port) else { return nil }
        defer { channel.close(promise: nil) }
        let localPort = channel.localAddress?.port ?? 0
        let callID = "\(SIPRegisterRequest.randomToken())@\(localHost)"
        let subscribe = request(localPort: localPort, callID: callID)
        let answered = AnsweredFlag()
        return await withTaskGroup(of: String?.self) { tasks in
            tasks.addTask {
                // Retransmit until the 200 (or the NOTIFY) arrives; the receiver cancels this.
                var interval = Duration.milliseconds(500)
                while !Task.isCancelled, !answered.value {
                    Self.send(subscribe, to: remote, on: channel)
                    guard (try? await Task.sleep(for: interval)) != nil else { return nil }
                    interval = min(interval * 2, .seconds(4))
                }
                return nil
            }
            tasks.addTask {
                try? await Task.sleep(for: timeout)
                sink.finish()
                return nil
            }
            var url: String?
            for await (message, source) in inbox where message.headers["Call-ID"] == callID {
                if message.status != nil {  // the 200 OK to the SUBSCRIBE: stop retransmitting
                    answered.set()
                    continue
                }
                guard message.method == "NOTIFY" else { continue }
                answered.set()
                Self.send(Self.ok(to: message), to: source, on: channel)
                let type = message.headers["Content-Type"]?.lowercased() ?? ""
                if type.hasPrefix("application/url"), let text = String(validating: message.body, as: UTF8.self) {
                    url = text.trimmingSpaces()
                    break
                }
            }
            tasks.cancelAll()
            return url
        }
    }

    func request(localPort: Int, callID: String) -> SIPMessage {
        let branch = "z9hG4bK\(SIPRegisterRequest.randomToken())"
        var message = SIPMessage.request("SUBSCRIBE", uri: "sip:\(mac)@\(group)")
        message.headers.add("Via", "SIP/2.0/UDP \(localHost):\(localPort);branch=\(branch);rport")
        message.headers.add("Max-Forwards", "70")
        message.headers.add("From", "<sip:\(mac)@\(group)>;tag=\(SIPRegisterRequest.randomToken())")
        message.headers.add("To", "<sip:\(mac)@\(group)>")
        message.headers.add("Call-ID", callID)
        message.headers.add("CSeq", "1 SUBSCRIBE")
        message.headers.add("Contact", "<sip:\(mac)@\(localHost):\(localPort)>")
        message.headers.add("Event", "ua-profile;profile-type=\"device\";vendor=\"Fanvil\";model=\"\(model)\";version=\"\(firmware)\"")
        message.headers.add("Accept", "application/url")
        message.headers.add("Expires", "0")
        message.headers.add("User-Agent", userAgent)
        return message
    }

    /// 200 OK to a NOTIFY: its Via, From, To, Call-ID and CSeq.
    static func ok(to request: SIPMessage) -> SIPMessage {
        var headers = SIPHeaders()
        for name in ["Via", "From", "To", "Call-ID", "CSeq"] {
            for value in request.headers.values(name) { headers.add(name, value) }
        }
        return SIPMessage.response(200, headers: headers)
    }

    private static func send(_ message: SIPMessage, to remote: SocketAddress, on channel: any Channel) {
        let bytes = message.serialized()
        channel.eventLoop.execute {
            channel.writeAndFlush(
                AddressedEnvelope(remoteAddress: remote, data: channel.allocator.buffer(bytes: bytes)), promise: nil)
        }
    }

    /// A socket on localHost (ephemeral port) whose multicasts leave by the
    /// interface holding localHost (IP_MULTICAST_IF), so no multicast route is needed.
    private func bind(
        loops: any EventLoopGroup, sink: AsyncStream<(SIPMessage, SocketAddress)>.Continuation
    ) async throws -> any Channel {
        let host = localHost
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { throw ChannelError.badMulticastGroupAddressFamily }
        let interface = address
        return try await DatagramBootstrap(group: loops)
            .channelInitializer { channel in
                guard let provider = channel as? any SocketOptionProvider else {
                    return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                }
                return provider.unsafeSetSocketOption(
                    level: SocketOptionLevel(IPPROTO_IP), name: SocketOptionName(IP_MULTICAST_IF), value: interface
                ).flatMap { channel.pipeline.addHandler(PnPReceiver(sink: sink)) }
            }
            .bind(host: host, port: 0).get()
    }
}

private final class PnPReceiver: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let sink: AsyncStream<(SIPMessage, SocketAddress)>.Continuation

    init(sink: AsyncStream<(SIPMessage, SocketAddress)>.Continuation) { self.sink = sink }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let message = try? SIPMessage(parsing: envelope.data.readableBytesView) else { return }
        sink.yield((message, envelope.remoteAddress))
    }
}

/// Set once the SUBSCRIBE has an answer.
private final class AnsweredFlag: Sendable {
    private let flag = Mutex(false)
    var value: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
