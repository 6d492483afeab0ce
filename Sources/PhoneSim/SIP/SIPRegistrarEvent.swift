/// What the registrar did with a REGISTER that carried credentials (the
/// first, unauthenticated one of each registration only gets a challenge).
public enum SIPRegistrarEvent: Sendable, Hashable {
    /// `user` (the To URI's user) is bound to `contact`; `source` is `ip:port`.
    case registered(user: String, contact: String, source: String)
    /// `user`'s binding was removed (Expires 0).
    case unregistered(user: String, source: String)
    /// Refused with `status` (403 for an unknown user or a wrong password).
    case refused(user: String, status: Int, source: String)
}
