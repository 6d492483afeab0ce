import DHCPv4

/// Drops what is not a client request this server can answer.
struct ValidateRequest: DHCPHandler {
    static let supported: Set<UInt8> = [
        MessageType.discover.rawValue, MessageType.request.rawValue, MessageType.decline.rawValue,
        MessageType.release.rawValue, MessageType.inform.rawValue,
    ]

    func handle(_ context: inout RequestContext, table: inout LeaseTable, settings: ServerSettings) -> HandlerResult {
        guard Self.supported.contains(context.type.rawValue) else {
            return .drop(.unsupportedMessageType, "type \(context.type) is not one a client sends")
        }
        return .next
    }
}
