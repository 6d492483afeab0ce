import Store

/// The SET items pushed to a device over its HTTP API, in order.
public protocol PushItemSource: Sendable {
    /// Throws when they cannot be made (a template error); the message is
    /// shown as the job's reason, so it must not carry a value.
    func pushItems(for device: Device) throws -> [(key: String, value: String)]
}
