#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors opening or reading an input file.
struct FileReadError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "\(path): \(reason)" }
}

/// Opens `path` for reading and returns a byte source over it, closed when released.
final class FileBytes: @unchecked Sendable {
    let path: String
    private let fd: Int32
    var descriptor: Int32 { fd }

    init(path: String) throws {
        self.path = path
        // Only regular files are read: a named pipe would block the run forever, a device
        // never ends. Looked at before opening, and again on what was opened (non-blocking,
        // so even a pipe swapped in between cannot hold the run).
        var st = stat()
        if stat(path, &st) == 0, let problem = FileBytes.notAFile(st.st_mode) {
            throw FileReadError(path: path, reason: problem)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let err = errno
            throw FileReadError(path: path, reason: err == ELOOP ? InputFiles.linkProblem(err) : "cannot be opened (\(String(cString: strerror(err))))")
        }
        if fstat(fd, &st) == 0, let problem = FileBytes.notAFile(st.st_mode) {
            close(fd)
            throw FileReadError(path: path, reason: problem)
        }
        self.fd = fd
    }

    deinit { close(fd) }

    static func notAFile(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a folder, not a file"
        default: return InputFiles.specialFile(mode)
        }
    }

    /// The file's bytes from `offset` on (read with `pread`, so parts of one file can be read
    /// at once on several threads).
    func source(from offset: Int) -> ByteSource {
        var at = offset
        return { [self] out in
            while true {
                let n = pread(self.fd, out.baseAddress, out.count, off_t(at))
                if n >= 0 { at += n; return n }
                if errno == EINTR { continue }
                throw FileReadError(path: self.path, reason: "could not be read (\(String(cString: strerror(errno))))")
            }
        }
    }

    /// The bytes of `ranges` (byte offsets, in order), one after another, as if they were the
    /// file: one patient's rows from ``PatientIndex``, read with `pread`.
    func source(ranges: [Range<Int>]) -> ByteSource {
        var k = 0, at = ranges.first?.lowerBound ?? 0
        return { [self] out in
            while k < ranges.count {
                let left = ranges[k].upperBound - at
                if left <= 0 {
                    k += 1
                    if k < ranges.count { at = ranges[k].lowerBound }
                    continue
                }
                let n = pread(self.fd, out.baseAddress, min(out.count, left), off_t(at))
                if n > 0 { at += n; return n }
                if n == 0 { throw FileReadError(path: self.path, reason: "is shorter than when its rows were indexed") }
                if errno == EINTR { continue }
                throw FileReadError(path: self.path, reason: "could not be read (\(String(cString: strerror(errno))))")
            }
            return 0
        }
    }

    var source: ByteSource {
        { [self] out in
            while true {
                let n = read(self.fd, out.baseAddress, out.count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw FileReadError(path: self.path, reason: "could not be read (\(String(cString: strerror(errno))))")
            }
        }
    }
}
