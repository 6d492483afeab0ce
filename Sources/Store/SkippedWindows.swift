/// The end of event windows the provisioning worker has read that held no
/// event of an inventory device, not yet written to `provision_cursor`.
///
/// A DHCP flood of clients that are not phones of the inventory (a lab's
/// laptops, perfdhcp) would otherwise cost a write transaction, and so the
/// writer lock and an fsync that the DHCP commits wait behind, on every
/// wake-up of the worker. The ends are written with the next reset, or once
/// `SQLiteProvisionJobStore.persistSkippedEvery` has passed. A crash in
/// between only makes the worker read those windows again: nothing in them
/// was acted on (an event of a device added since would be, as if read late).
struct SkippedWindows: Sendable {
    var lease: Int64?
    var device: Int64?
    /// When the cursors were last written (the caller's clock).
    var written: Double = 0

    init(written: Double = 0) {
        self.written = written
    }

    /// Whether an end is waiting to be written.
    var pending: Bool { lease != nil || device != nil }
}
