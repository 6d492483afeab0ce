import DHCPv4

/// Adds the class's options (66, 43, any code) and then the reservation's
/// per-device overrides. A class option is sent when the client asked for it
/// in option 55 or the class says `always_send`; a reservation's options are
/// always sent. Values go in the options field (never in `sname`), text as
/// is: `$mac` stays for the phone to expand.
struct ProvisioningOptions: DHCPHandler {
    func handle(_ context: inout RequestContext, table: inout LeaseTable, settings: ServerSettings) -> HandlerResult {
        guard var reply = context.reply, reply.messageType == .offer || reply.messageType == .ack else { return .next }
        if let clientClass = context.clientClass {
            for (code, value) in clientClass.options
            where clientClass.alwaysSend || context.request.options.requests(code) {
                reply.options.replace(code, with: value)
            }
        }
        if let reservation = context.reservation {
            for (code, value) in reservation.options { reply.options.replace(code, with: value) }
        }
        context.reply = reply
        return .next
    }
}
