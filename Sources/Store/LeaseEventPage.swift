/// Events picked out of a window of the event log, and where the window
/// ended: the next read starts after `last`, whether or not anything in
/// the window was picked.
public struct LeaseEventPage: Sendable {
    public var events: [LeaseEvent]
    /// The id of the window's last event (the `after` asked for when the window was empty).
    public var last: Int64
    /// Whether the window was full: more events may follow it.
    public var full: Bool

    public init(events: [LeaseEvent], last: Int64, full: Bool) {
        self.events = events
        self.last = last
        self.full = full
    }
}
