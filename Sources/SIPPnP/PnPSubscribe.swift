import DHCPv4
import SIPWire

/// A SIP PnP subscription (RFC 6080 §5.1, the "device" profile of the
/// `ua-profile` event package) as a phone multicasts it at boot:
///
///     SUBSCRIBE sip:0c383e07e16c@224.0.1.75 SIP/2.0
///     From: <sip:0c383e07e16c@224.0.1.75>;tag=1
///     Event: ua-profile;profile-type="device";vendor="Fanvil";model="X4U";version="2.12.16"
///     Accept: application/url
///
/// Fanvil, Yealink and Snom put the phone's MAC in the From user part.
public struct PnPSubscribe: Sendable, Equatable {
    public var mac: MACAddress
    /// `profile-type`, nil when absent (RFC 6080 makes it mandatory; some
    /// phones leave it out and mean "device").
    public var profileType: String?
    public var vendor: String?
    public var model: String?
    public var version: String?
    /// The whole Event value, echoed in the NOTIFY.
    public var event: String
    public var callID: String
    public var cseq: Int
    public var fromTag: String?
    public var expires: String?

    /// Why a datagram is not a PnP subscription we may answer.
    public enum Rejection: String, Error, Sendable, Equatable {
        /// Not a SUBSCRIBE (another request, or a stray response).
        case notSubscribe = "not-subscribe"
        /// A SUBSCRIBE for another event package (presence, dialog...).
        case otherEvent = "other-event"
        /// `profile-type` other than `device` (`user`, `local-network`...).
        case otherProfileType = "other-profile-type"
        /// From, Call-ID, CSeq or Via missing or unreadable, or an echoed header
        /// holding control characters.
        case missingHeader = "missing-header"
        /// The From user part is not a MAC address.
        case noMAC = "no-mac"
    }

    /// Reads `message`; the reason when it is not a PnP device subscription.
    public static func read(_ message: SIPMessage) -> Result<PnPSubscribe, Rejection> {
        guard message.method == "SUBSCRIBE" else { return .failure(.notSubscribe) }
        guard let event = message.headers["Event"] else { return .failure(.otherEvent) }
        let package = event.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces().lowercased() } ?? ""
        guard package == "ua-profile" else { return .failure(.otherEvent) }
        let profileType = SIPHeaderValue.parameter("profile-type", in: event)
        if let profileType, profileType.lowercased() != "device" { return .failure(.otherProfileType) }
        guard let from = message.headers["From"], let callID = message.headers["Call-ID"], !callID.isEmpty,
              let cseq = message.cseq, cseq.method == "SUBSCRIBE", message.topVia != nil
        else { return .failure(.missingHeader) }
        // What the answer echoes must be plain text (no NUL, no lone CR).
        for name in ["Via", "From", "To", "Call-ID", "CSeq", "Event", "Expires"] {
            guard message.headers.values(name).allSatisfy(isPlainText) else { return .failure(.missingHeader) }
        }
        guard let user = SIPHeaderValue.uriUser(from), let mac = MACAddress(user) else { return .failure(.noMAC) }
        return .success(PnPSubscribe(
            mac: mac, profileType: profileType,
            vendor: SIPHeaderValue.parameter("vendor", in: event),
            model: SIPHeaderValue.parameter("model", in: event),
            version: SIPHeaderValue.parameter("version", in: event),
            event: event, callID: callID, cseq: cseq.number,
            fromTag: SIPHeaderValue.parameter("tag", in: from),
            expires: message.headers["Expires"]))
    }

    /// `Fanvil X4U 2.12.16`, what the store records as the device's agent.
    public var agent: String? {
        let parts = [vendor, model, version].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}

/// Printable text and tabs only (what a header value may hold once unfolded).
func isPlainText(_ value: String) -> Bool {
    value.unicodeScalars.allSatisfy { $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F) }
}
