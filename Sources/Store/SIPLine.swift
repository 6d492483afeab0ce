/// One SIP account on a phone (Fanvil `sip.line.N.*`).
public struct SIPLine: Sendable, Equatable, Codable {
    public enum Transport: String, Sendable, Codable, CaseIterable {
        case udp, tcp, tls
        /// The number Fanvil's `sip.line.N.Transport` takes.
        public var fanvilCode: Int {
            switch self {
            case .udp: 0
            case .tcp: 1
            case .tls: 3
            }
        }
    }

    /// 1-based line index on the phone.
    public var index: Int
    public var number: String
    /// Digest user name; the number when empty.
    public var authUser: String
    public var password: String
    public var displayName: String
    public var registrar: String
    public var registrarPort: Int
    public var transport: Transport

    public static let maxIndex = 16

    public init(
        index: Int, number: String, authUser: String = "", password: String = "", displayName: String = "",
        registrar: String = "", registrarPort: Int = 5060, transport: Transport = .udp
    ) {
        self.index = index
        self.number = number
        self.authUser = authUser
        self.password = password
        self.displayName = displayName
        self.registrar = registrar
        self.registrarPort = registrarPort
        self.transport = transport
    }

    enum CodingKeys: String, CodingKey {
        case index, number, password, registrar, transport
        case authUser = "auth_user", displayName = "display_name", registrarPort = "registrar_port"
    }
}
