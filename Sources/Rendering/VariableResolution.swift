import Store

/// Variables of a device, resolved global → group → model → device: the
/// nearest level wins. A device with its own provisioning secret
/// (`ProvisioningSecret`) has `provisioning_username` = its MAC (12 hex
/// digits) and `provisioning_password` = the secret, above every level: its
/// file and its push then set the phone's `ap.DefaultUsername/Password` to
/// them, never back to the shared ones.
public enum VariableResolution {
    public static let usernameVariable = "provisioning_username"
    public static let passwordVariable = "provisioning_password"

    public static func resolve(
        device: Device, group: DeviceGroup?, settings: RenderSettings
    ) -> [String: String] {
        var resolved = settings.globalVariables
        resolved.merge(group?.variables ?? [:]) { $1 }
        if let model = device.model { resolved.merge(settings.modelVariables[model] ?? [:]) { $1 } }
        resolved.merge(device.variables) { $1 }
        if let secret = device.provisioningSecret {
            resolved[usernameVariable] = device.mac.compact
            resolved[passwordVariable] = secret.value
        }
        return resolved
    }
}
