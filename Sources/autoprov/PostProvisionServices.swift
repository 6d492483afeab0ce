import AutoprovConfig
import Logging
import NIOPosix
import PhoneAPI
import PostProvision
import Rendering
import Store

/// The post-provisioning side of `serve`: the phone API client and the worker.
enum PostProvisionServices {
    static func make(
        settings: AutoprovSettings, database: SQLiteDatabase, inventory: any InventoryStore, renderer: Renderer
    ) -> (worker: ProvisioningWorker, client: HTTPPhoneAPIClient) {
        let p = settings.postProvision
        let client = HTTPPhoneAPIClient(
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            settings: p.clientSettings,
            logger: Logger(label: "autoprov.phoneapi"))
        let worker = ProvisioningWorker(
            settings: p, jobs: SQLiteProvisionJobStore(database: database), inventory: inventory, client: client,
            pushItems: RenderedPushItems(renderer: renderer, inventory: inventory), changes: database.changes, logger: Logger(label: "autoprov.provision"))
        return (worker, client)
    }
}
