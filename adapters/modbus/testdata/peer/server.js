// An independent Modbus TCP server (jsmodbus) for the Go tests of
// adapters/modbus. It holds 512 holding registers; a write beyond them is
// answered with exception 2 (illegal data address).
//
// usage: node server.js [clamp-address clamp-max] [--busy=A] [--drop=A] [--close-after=N]
//                       [--slow=A --delay=MS]
//   With clamp-address/clamp-max, the register at clamp-address is limited to
//   clamp-max after every write, like a device that enforces its own limit.
//   --busy=A         a write to address A is answered with exception 6 (server
//                    device busy) and changes nothing
//   --drop=A         a write to address A closes the connection unanswered and
//                    changes nothing (a device or gateway that resets mid-sequence)
//   --close-after=N  the server closes a connection after answering N requests
//                    on it (a device that drops idle or long-lived connections)
//   --slow=A --delay=MS  a write to address A is taken at once but answered MS
//                    milliseconds later (a slow device or gateway)
//   --read-busy=A    a read of holding registers from address A is answered
//                    with exception 6 (busy); writes are taken as usual
//   --read-drop=A    a read from address A closes the connection unanswered
//
// It prints one JSON object per line on stdout:
//   {"event":"listening","port":N}
//   {"event":"write","address":A,"quantity":Q,"holding":[...],"at":MS}
//                                   what it holds after a write, and when
//                                   (Unix milliseconds)
//   {"event":"busy","address":A}     answered exception 6
//   {"event":"dropped","address":A}  closed the connection instead of answering
//   {"event":"read-busy","address":A} a read answered exception 6
//   {"event":"read-dropped","address":A} closed the connection instead of a read
//   {"event":"closed"}               closed a connection after --close-after
// and exits when stdin closes.
'use strict';
const net = require('net');
const Modbus = require('jsmodbus');
const { ExceptionResponseBody } = require('jsmodbus/dist/response');

const args = process.argv.slice(2);
const [clampAddr, clampMax] = args.filter((a) => !a.startsWith('--')).map(Number);
const opt = (name) => {
    const a = args.find((x) => x.startsWith(`--${name}=`));
    return a === undefined ? NaN : Number(a.slice(name.length + 3));
};
const busyAddr = opt('busy');
const dropAddr = opt('drop');
const closeAfter = opt('close-after');
const slowAddr = opt('slow');
const delay = opt('delay');
const readBusyAddr = opt('read-busy');
const readDropAddr = opt('read-drop');
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const holding = Buffer.alloc(512 * 2);
const netServer = new net.Server();
const server = new Modbus.server.TCP(netServer, { holding });
const FC_WRITE_MULTIPLE = 0x10;
const FC_READ_HOLDING = 0x03;

// The fault options act in front of jsmodbus's own handling of each request:
// jsmodbus still parses the request and frames every answer.
server.on('connection', (client) => {
    const handler = client._responseHandler;
    const handle = handler.handle.bind(handler);
    let answered = 0;
    let closed = false;
    client.socket.on('error', () => {}); // a peer that resets is not our failure
    handler.handle = (request, cb) => {
        if (closed) return; // a closed device answers nothing more
        const body = request.body;
        const isWrite = body && body.fc === FC_WRITE_MULTIPLE;
        if (isWrite && body.address === busyAddr) {
            const ex = new ExceptionResponseBody(body.fc, 0x06);
            say({ event: 'busy', address: body.address });
            cb(handler._fromRequest(request, ex).createPayload());
            return;
        }
        const isRead = body && body.fc === FC_READ_HOLDING;
        if (isRead && body.start === readBusyAddr) {
            const ex = new ExceptionResponseBody(body.fc, 0x06);
            say({ event: 'read-busy', address: body.start });
            cb(handler._fromRequest(request, ex).createPayload());
            return;
        }
        if (isRead && body.start === readDropAddr) {
            say({ event: 'read-dropped', address: body.start });
            client.socket.destroy();
            return;
        }
        if (isWrite && body.address === dropAddr) {
            say({ event: 'dropped', address: body.address });
            client.socket.destroy();
            return;
        }
        const slow = isWrite && body.address === slowAddr;
        handle(request, (payload) => {
            if (slow) {
                setTimeout(() => cb(payload), delay);
                return;
            }
            cb(payload);
            if (++answered === closeAfter) {
                closed = true;
                client.socket.end(() => say({ event: 'closed' }));
            }
        });
    };
});

const words = (addr, n) => Array.from({ length: n }, (_, i) => holding.readUInt16BE((addr + i) * 2));

function report(request) {
    if (!request || !request.body) return; // the first post-write event carries the buffer
    const body = request.body;
    const quantity = body.quantity !== undefined ? body.quantity : 1;
    if (!Number.isNaN(clampAddr) && clampAddr >= body.address && clampAddr < body.address + quantity) {
        if (holding.readUInt16BE(clampAddr * 2) > clampMax) holding.writeUInt16BE(clampMax, clampAddr * 2);
    }
    say({ event: 'write', address: body.address, quantity, holding: words(body.address, quantity), at: Date.now() });
}
server.on('postWriteMultipleRegisters', report);
server.on('postWriteSingleRegister', report);

netServer.listen(0, '127.0.0.1', () => say({ event: 'listening', port: netServer.address().port }));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
