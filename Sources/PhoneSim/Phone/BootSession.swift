import DHCPv4

/// What one boot of a phone holds until the next reboot: its address, its
/// API listener (absent with the `unreachable` fault) and its SIP client.
struct BootSession: Sendable {
    var address: IPv4Address
    /// When the lease wants renewing (`nil`: never).
    var renewAfter: Duration?
    var api: PhoneAPIServer?
    var sip: SIPRegisterClient

    var ip: String { address.description }

    func close() async {
        await api?.close()
        await sip.close()
    }
}
