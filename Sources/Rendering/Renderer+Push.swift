import Foundation
import Store

extension Renderer {
    /// The SET items for `device`: `push/<mac|model|base>.cfg.mustache`
    /// rendered as dot-key text, one `key = value` per line (the first `=`
    /// splits; `#` lines and empty lines are skipped).
    public func pushItems(device: Device, group: DeviceGroup?) throws(RenderError) -> [(key: String, value: String)] {
        let (settings, library) = (snapshot.settings, snapshot.library)
        let variables = VariableResolution.resolve(device: device, group: group, settings: settings)
        let candidates = [device.mac.compact, device.model, "base"].compactMap { $0 }
        let template = try library.template(kind: "push", format: .cfg, candidates: candidates)
        let body = template.parsed.render(RenderContext(device: device, variables: variables))
        let missing = Self.missingNames(in: body)
        if !missing.isEmpty {
            throw .missingVariable(template: template.name, variables: missing, device: device.mac.compact)
        }
        return Self.dotKeyItems(body)
    }

    static func dotKeyItems(_ text: String) -> [(key: String, value: String)] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { return nil }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { return nil }
            return (key, trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
    }
}
