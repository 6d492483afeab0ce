import SIPWire

/// The two messages a PnP answer is made of: the 200 OK to the SUBSCRIBE
/// and the NOTIFY carrying the provisioning URL (RFC 6080 §5.1.2,
/// RFC 6665 §4.2).
public enum PnPMessages {
    public static let server = "autoprov"

    /// 200 OK: the request's Via list (top one stamped with `received` /
    /// `rport`), From, Call-ID and CSeq as received, To with our tag,
    /// Expires echoed, our Contact.
    public static func ok(
        to request: SIPMessage, topVia: SIPVia, localTag: String, contact: String
    ) -> SIPMessage {
        var headers = SIPHeaders()
        var vias = request.headers.values("Via").flatMap(SIPHeaderValue.splitList)
        if !vias.isEmpty { vias[0] = topVia.text }
        for via in vias { headers.add("Via", via) }
        headers.add("From", request.headers["From"] ?? "")
        headers.add("To", withTag(request.headers["To"] ?? "", localTag))
        headers.add("Call-ID", request.headers["Call-ID"] ?? "")
        headers.add("CSeq", request.headers["CSeq"] ?? "")
        headers.add("Contact", "<\(contact)>")
        if let expires = request.headers["Expires"] { headers.add("Expires", expires) }
        headers.add("Server", server)
        return SIPMessage(startLine: .response(status: 200, reason: "OK"), headers: headers)
    }

    /// The NOTIFY in the subscription's dialog: From and To swapped (our
    /// tag on From), the same Call-ID, our own CSeq 1, the subscriber's
    /// Event echoed, the subscription ended at once (nothing more will be
    /// sent), `application/url` with `url` as the body.
    public static func notify(
        for request: SIPMessage, subscribe: PnPSubscribe, target: String, via: String, localTag: String,
        contact: String, url: String
    ) -> SIPMessage {
        var headers = SIPHeaders()
        headers.add("Via", via)
        headers.add("Max-Forwards", "70")
        headers.add("From", withTag(request.headers["To"] ?? "", localTag))
        headers.add("To", request.headers["From"] ?? "")
        headers.add("Call-ID", subscribe.callID)
        headers.add("CSeq", "1 NOTIFY")
        headers.add("Contact", "<\(contact)>")
        headers.add("Event", subscribe.event)
        headers.add("Subscription-State", "terminated;reason=timeout")
        headers.add("Content-Type", "application/url")
        headers.add("Server", server)
        return SIPMessage(startLine: .request(method: "NOTIFY", uri: target), headers: headers, body: Array(url.utf8))
    }

    /// `value` with `;tag=tag` unless it has a tag already.
    static func withTag(_ value: String, _ tag: String) -> String {
        SIPHeaderValue.parameter("tag", in: value) == nil ? "\(value);tag=\(tag)" : value
    }
}
