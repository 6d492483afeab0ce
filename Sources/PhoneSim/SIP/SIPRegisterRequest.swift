/// The REGISTER requests of one registration (one Call-ID and From tag,
/// a fresh Via branch per request).
struct SIPRegisterRequest: Sendable {
    let account: SIPAccount
    let localHost: String
    let localPort: Int
    let expires: Int
    let userAgent: String
    let callID: String
    let fromTag: String

    init(account: SIPAccount, localHost: String, localPort: Int, expires: Int, userAgent: String) {
        self.account = account
        self.localHost = localHost
        self.localPort = localPort
        self.expires = expires
        self.userAgent = userAgent
        callID = Self.randomToken() + "@" + localHost
        fromTag = Self.randomToken()
    }

    /// `sip:registrar` (with the port unless 5060): the Request-URI and the
    /// digest `uri`.
    var requestURI: String {
        account.port == 5060 ? "sip:\(account.registrar)" : "sip:\(account.registrar):\(account.port)"
    }

    /// The address of record, `sip:user@registrar`.
    var addressOfRecord: String { "sip:\(account.user)@\(account.registrar)" }

    /// REGISTER number `cseq`, with an `Authorization`-like header if given.
    func request(cseq: Int, authorization: (name: String, value: String)? = nil) -> SIPMessage {
        var headers = SIPHeaders()
        headers.add("Via", "SIP/2.0/UDP \(localHost):\(localPort);branch=z9hG4bK\(Self.randomToken());rport")
        headers.add("Max-Forwards", "70")
        let display = account.displayName.isEmpty ? "" : SIPDigest.quoted(account.displayName) + " "
        headers.add("From", "\(display)<\(addressOfRecord)>;tag=\(fromTag)")
        headers.add("To", "\(display)<\(addressOfRecord)>")
        headers.add("Call-ID", callID)
        headers.add("CSeq", "\(cseq) REGISTER")
        headers.add("Contact", "<sip:\(account.user)@\(localHost):\(localPort)>")
        if let authorization { headers.add(authorization.name, authorization.value) }
        headers.add("Expires", String(expires))
        headers.add("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY, REFER")
        headers.add("User-Agent", userAgent)
        return .request("REGISTER", uri: requestURI, headers: headers)
    }

    /// 64 random bits in hex.
    static func randomToken() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
