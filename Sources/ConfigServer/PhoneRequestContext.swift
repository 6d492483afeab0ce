import Hummingbird
import NIOCore

/// Request context for the phone and admin listeners: the peer address is
/// part of authorising a phone.
public struct PhoneRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
