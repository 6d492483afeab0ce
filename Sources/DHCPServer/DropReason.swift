/// Why a request got no answer. Each is logged and counted under its
/// `rawValue` (a stable metric label).
public enum DropReason: String, Sendable, CaseIterable {
    case malformed
    case notARequest = "not_a_request"
    case noMessageType = "no_message_type"
    case unsupportedMessageType = "unsupported_message_type"
    case unsupportedHardware = "unsupported_hardware"
    case unknownClient = "unknown_client"
    case noSubnet = "no_subnet"
    case poolExhausted = "pool_exhausted"
    case wrongServerID = "wrong_server_id"
    case notOurLease = "not_our_lease"
    case spoofedRelay = "spoofed_relay"
    /// An INFORM whose ciaddr (where the ACK would be unicast) lies outside
    /// the subnet it arrived for: answering would reflect our reply onto an
    /// address that never asked (issue 13, item 8).
    case informForeignCiaddr = "inform_foreign_ciaddr"
    case overloaded
    case commitFailed = "commit_failed"
}
