#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The permissions of the SQLite store (it holds SIP and admin passwords):
/// created 0600 whatever the umask, its directory 0750 when we create it;
/// a store others may read or write is refused (issue 13, item 9). Group
/// read and write (0640, 0660) are allowed, for a service group.
///
/// SQLite creates `-wal` and `-shm` with the main file's mode (its unix VFS
/// copies it and fchmods past the umask), so a 0600 database gets 0600 side
/// files; side files left wider by an older version are narrowed on open.
public enum StoreFileMode {
    /// The mode a new store file gets.
    public static let created: mode_t = 0o600
    /// The mode a directory made for the store gets.
    public static let directory: mode_t = 0o750
    /// Permission bits a store file must not have.
    public static let forbidden: mode_t = 0o007
    /// SQLite's side files of a database in WAL mode.
    public static let sideSuffixes = ["-wal", "-shm"]

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case tooOpen(path: String, mode: mode_t)
        case cannotCreate(path: String, errno: Int32)
        case notARegularFile(path: String)

        public var description: String {
            switch self {
            case let .tooOpen(path, mode):
                "store file \(path) is readable or writable by others (mode \(String(mode, radix: 8))); "
                    + "it holds SIP and admin passwords: chmod 600 \(path) (0640 for a service group at most)"
            case let .cannotCreate(path, code):
                "cannot create the store file \(path): \(String(cString: strerror(code)))"
            case let .notARegularFile(path):
                "store path \(path) is not a regular file"
            }
        }
    }

    /// The permission bits of `path`, or nil when it does not exist.
    public static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Before SQLite opens `path`: creates its directory (0750) and the file
    /// itself (0600, empty: an empty file is an empty database) when missing;
    /// refuses an existing file others may read or write.
    /// Returns the mode of the store file.
    @discardableResult
    public static func prepare(path: String) throws(Failure) -> mode_t {
        var info = stat()
        if stat(path, &info) != 0 {
            createDirectory(of: path)
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, created)
            if fd < 0, errno != EEXIST { throw .cannotCreate(path: path, errno: errno) }
            if fd >= 0 {
                // The umask may have narrowed it; never widened, but make it exact.
                _ = fchmod(fd, created)
                close(fd)
            }
            guard stat(path, &info) == 0 else { throw .cannotCreate(path: path, errno: errno) }
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
        let mode = info.st_mode & 0o7777
        if mode & forbidden != 0 { throw .tooOpen(path: path, mode: mode) }
        return mode
    }

    /// After SQLite opened `path`: narrows `-wal` and `-shm` to the store
    /// file's own mode (they may predate this check). Best effort: a side
    /// file owned by someone else is left to the check of the next start.
    public static func narrowSideFiles(of path: String, to mode: mode_t) {
        for suffix in sideSuffixes {
            let side = path + suffix
            guard let current = self.mode(of: side), current & ~mode != 0 else { continue }
            _ = chmod(side, current & mode)
        }
    }

    /// Creates the parent directories of `path` that are missing, 0750 each
    /// (narrower if the umask says so); existing ones are left as they are.
    private static func createDirectory(of path: String) {
        var directories: [String] = []
        var current = parent(of: path)
        while !current.isEmpty, current != "/", access(current, F_OK) != 0 {
            directories.append(current)
            current = parent(of: current)
        }
        for directory in directories.reversed() { _ = mkdir(directory, Self.directory) }
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}
