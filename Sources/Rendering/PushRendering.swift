import Mustache
import Store

/// A push template rendered and read back, without the template lookup
/// (shared with the `push-values` fuzz target).
enum PushRendering {
    static func items(
        _ template: MustacheTemplate, name: String, device: Device, variables: [String: String]
    ) throws(RenderError) -> [(key: String, value: String)] {
        try RenderValueCheck.check(device: device, variables: variables)
        let body = template.render(RenderContext(device: device, variables: variables))
        let missing = MissingValue.names(in: body)
        if !missing.isEmpty {
            throw .missingVariable(template: name, variables: missing, device: device.mac.compact)
        }
        return try DotKeyItems.parse(body, template: name)
    }
}
