import Rendering
import Store

/// Push items from the `push/` templates, with the device's group variables.
public struct RenderedPushItems: PushItemSource {
    let renderer: Renderer
    let inventory: any InventoryStore

    public init(renderer: Renderer, inventory: any InventoryStore) {
        self.renderer = renderer
        self.inventory = inventory
    }

    public func pushItems(for device: Device) throws -> [(key: String, value: String)] {
        try renderer.pushItems(device: device, group: inventory.group(device.group))
    }
}
