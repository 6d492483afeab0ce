import Store

extension Renderer {
    /// The SET items for `device`: `push/<mac|model|base>.cfg.mustache`
    /// rendered as dot-key text, one `key = value` per line (`DotKeyItems`).
    public func pushItems(device: Device, group: DeviceGroup?) throws(RenderError) -> [(key: String, value: String)] {
        let (settings, library) = (snapshot.settings, snapshot.library)
        let variables = VariableResolution.resolve(device: device, group: group, settings: settings)
        let candidates = [device.mac.compact, device.model, "base"].compactMap { $0 }
        let template = try library.template(kind: "push", format: .cfg, candidates: candidates)
        return try PushRendering.items(template.parsed, name: template.name, device: device, variables: variables)
    }
}
