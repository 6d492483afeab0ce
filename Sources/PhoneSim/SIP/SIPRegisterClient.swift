import NIOCore

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

/// Registers SIP accounts over UDP from one local address (one per simulated phone).
/// STUB: replaced by the real implementation (digest auth, retransmissions).
public final class SIPRegisterClient: Sendable {
    /// localHost: the phone's leased IPv4 address; localPort 0 = ephemeral.
    public init(localHost: String, localPort: Int, group: any EventLoopGroup) {}

    /// Sends REGISTER (answering one 401/407 challenge with digest), returns the final
    /// SIP status code of the exchange: 200 registered, 401/403 refused, 408 when no final
    /// answer came within `timeout` (after RFC 3261 timer-A retransmissions).
    public func register(_ account: SIPAccount, expires: Int = 3600, timeout: Duration = .seconds(8)) async -> Int { 408 }

    /// Closes the socket. Idempotent.
    public func close() async {}
}
