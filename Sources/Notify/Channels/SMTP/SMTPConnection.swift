import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One conversation with an SMTP server over SwiftNIO: replies read line by line into a stream,
/// commands written as they are; STARTTLS puts TLS in front of the pipeline mid-conversation.
final class SMTPConnection: @unchecked Sendable {  // used by one task at a time: the sender's
    private let channel: any Channel
    private var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator
    private let counts: SMTPReplyHandler.Counts
    private var consumed = 0

    private init(channel: any Channel, replies: AsyncThrowingStream<SMTPReply, any Error>, counts: SMTPReplyHandler.Counts) {
        self.channel = channel
        self.replies = replies.makeAsyncIterator()
        self.counts = counts
    }

    /// Whether the server sent nothing beyond the replies read so far.
    func nothingPending() -> Bool {
        counts.state.withLock { $0.replies == consumed && $0.bufferedBytes == 0 }
    }

    /// Connects to the first of `addresses` that answers, with TLS from the first byte when `tls` is
    /// given (implicit TLS, port 465); `host` is the name the server's certificate must carry.
    static func connect(to addresses: [SocketAddress], host: String, tls: NIOSSLContext?, connectTimeout: TimeAmount) async throws -> SMTPConnection {
        var lastError: (any Error)?
        for address in addresses {
            do {
                return try await connect(to: address, host: host, tls: tls, connectTimeout: connectTimeout)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? SMTPProtocolError("no address to connect to")
    }

    private static func connect(to address: SocketAddress, host: String, tls: NIOSSLContext?, connectTimeout: TimeAmount) async throws -> SMTPConnection {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: SMTPReply.self)
        let counts = SMTPReplyHandler.Counts()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: host)) }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler(continuation: continuation, counts: counts))
                }
            }
            .connect(to: address).get()
        return SMTPConnection(channel: channel, replies: stream, counts: counts)
    }

    /// The next reply, or a protocol error when the server closed the connection.
    func reply() async throws -> SMTPReply {
        guard let reply = try await replies.next() else { throw SMTPProtocolError("the server closed the connection") }
        consumed += 1
        return reply
    }

    func send(_ line: String) async throws -> SMTPReply {
        try await write(line + "\r\n")
        return try await reply()
    }

    func write(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Puts TLS in front of the conversation (after the server's 220 to STARTTLS).
    func startTLS(_ context: NIOSSLContext, host: String) async throws {
        let handler = try NIOSSLClientHandler(context: context, serverHostname: host)
        try await channel.pipeline.addHandler(handler, position: .first).get()
    }

    func close() async {
        try? await channel.close().get()
    }
}

/// Splits the server's bytes into lines (at most 2,000 bytes each) and lines into replies.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {  // confined to its channel's event loop
    typealias InboundIn = ByteBuffer

    private let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    private var pending = ByteBuffer()
    private var parser = SMTPReplyParser()
    private let counts: Counts

    /// Replies handed on and bytes not yet a whole line, for the reader on another thread.
    final class Counts: Sendable {
        let state = Mutex((replies: 0, bufferedBytes: 0))
    }

    init(continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation, counts: Counts) {
        self.continuation = continuation
        self.counts = counts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        pending.writeBuffer(&bytes)
        do {
            while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - pending.readerIndex
                var line = pending.readString(length: length) ?? ""
                pending.moveReaderIndex(forwardBy: 1)
                if line.hasSuffix("\r") { line.removeLast() }
                if let reply = try parser.take(line) {
                    counts.state.withLock { $0.replies += 1 }
                    continuation.yield(reply)
                }
            }
            if pending.readableBytes > 2000 { throw SMTPProtocolError("a reply line longer than 2000 bytes") }
            pending.discardReadBytes()
            let buffered = pending.readableBytes + (parser.isMidReply ? 1 : 0)
            counts.state.withLock { $0.bufferedBytes = buffered }
        } catch {
            continuation.finish(throwing: error)
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}
