import Store

/// Variables of a device, resolved global → group → model → device: the
/// nearest level wins.
public enum VariableResolution {
    public static func resolve(
        device: Device, group: DeviceGroup?, settings: RenderSettings
    ) -> [String: String] {
        var resolved = settings.globalVariables
        resolved.merge(group?.variables ?? [:]) { $1 }
        if let model = device.model { resolved.merge(settings.modelVariables[model] ?? [:]) { $1 } }
        resolved.merge(device.variables) { $1 }
        return resolved
    }
}
