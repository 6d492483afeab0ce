import Store

/// The device's own provisioning secret in the worker's steps
/// (`config_server.per_device_secret`, issue 13, item 4):
///  - the push: the secret (made now if the device has none: pending) is
///    rendered into the items as `provisioning_username/password` (its MAC
///    and the secret; `ap.DefaultUsername/Password` in the shipped push
///    template), so it reaches the phone with the rest of the SET; a push
///    whose items do not carry it is not sent (the phone would lose its
///    file the moment the secret came into force);
///  - the SET: once the phone accepted it (RetCode 0) the secret is marked
///    pushed; a refused SET leaves it unpushed, and an unpushed secret never
///    comes into force (a job reopened at `pushed` by an action URL after a
///    refused SET must not lock the phone out of its file);
///  - the verification: the job's `verified` puts a pushed secret in force,
///    and from then on the config server serves the device's files only
///    with Digest under it;
///  - later jobs: a device whose secret is in force is talked to only after
///    a Digest fetch of its own file (`DigestFetchGate`): a host leasing
///    with its MAC is not asked anything, let alone pushed the SIP passwords.
enum DeviceSecretPush {
    /// Whether the job must wait for a Digest fetch before talking to the phone.
    static func requiresDigestFetch(_ device: Device, settings: PostProvisionSettings) -> Bool {
        settings.requireDigestFetch || (settings.perDeviceSecret && device.provisioningSecret?.isInForce == true)
    }

    /// The device as it is to be pushed: with its secret (made and stored
    /// when it has none). Throws the store's error.
    static func prepare(_ device: Device, inventory: any InventoryStore, now: Double) throws -> Device {
        var pushed = device
        pushed.provisioningSecret = try inventory.provisioningSecretForPush(device.mac, now: now)
        return pushed
    }

    /// Why the items cannot be pushed (they do not carry the secret), nil
    /// when they do. The reason names the variable, never the value.
    static func missing(in items: [(key: String, value: String)], device: Device) -> String? {
        guard let secret = device.provisioningSecret else { return nil }
        if items.contains(where: { $0.value == secret.value }) { return nil }
        return "the push template sets no item to {{provisioning_password}} (the device's own provisioning secret, "
            + "e.g. ap.DefaultPassword): nothing pushed (see config_server.per_device_secret)"
    }
}
