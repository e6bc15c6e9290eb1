// An independent OCPP 1.6J charge point for the Go tests of adapters/ocpp.
// It uses ocpp-rpc in strict mode, so every message either way is validated
// against the official OCPP 1.6 JSON schemas.
//
// usage: node chargepoint.js URL IDENTITY MODE [OPTIONS]
//   URL       ws://127.0.0.1:PORT/ocpp (the identity is appended)
//   MODE      accept | reject | error | slow   how to answer SetChargingProfile
//             notx                              accept, but never start a transaction
//             late                              accept once a line "answer" comes on stdin
//             drop                              close the socket instead of answering
//             notsupported                      answer NotSupported
//             malformed                         answer a CALLRESULT the schema forbids
//                                               ({"status":"Maybe"}), sent raw past strict mode
//             twice                             answer Accepted, then the same call again
//                                               with Rejected (raw): two answers to one call
//             stall                             hold the first profile's answer until a line
//                                               "answer" (Accepted); accept the rest at once
//             reconnect                         on the first profile, close the socket without
//                                               answering ({"event":"dropped"}); a line "connect"
//                                               connects again, and "late STATUS" then answers
//                                               it (raw) on the new connection
//             lateclear                         accept profiles; answer ClearChargingProfile once
//                                               a line "answer" comes
//   OPTIONS   comma-separated, any of:
//             protocol=P                        offer subprotocol P instead of ocpp1.6 (repeat
//                                               for several); strict mode only for ocpp1.6
//             sayclose                          print {"event":"closed","code":N,"reason":"..."}
//                                               when the connection closes, whoever closed it
//
// Lines on stdin (any mode):
//   answer    the late, stall and lateclear modes' waiting answers go out
//   connect   the reconnect mode connects again; then {"event":"reconnected"}
//   late S    the reconnect mode's unanswered profiles are answered now, on
//             the new connection: S is a status (Accepted, Rejected) or
//             "error" (a CALLERROR); then {"event":"answered late"}
//   boot      a BootNotification again on the same connection, as after a
//             restart: the transaction is gone (StopTransaction, reason
//             Reboot) and the connector Available
//   garbage   a message that is not JSON ("not json"), raw; then
//             {"event":"sent garbage"}
//   drop      close the socket at once, whatever is unanswered; then
//             {"event":"dropped"} ("connect" connects again)
//
// Whatever the mode, a TxProfile for a transaction that is not running is
// answered Rejected, as OCPP 1.6 (3.13.4) tells a charge point to.
//
// It prints one JSON object per line on stdout:
//   {"event":"ready","transactionId":N}           after boot, status, transaction, meter values
//   {"event":"SetChargingProfile","params":{...}} for each profile received (what it now holds)
//   {"event":"ClearChargingProfile","params":{...}}
//   {"event":"error","message":"..."}
// and exits when stdin closes.
'use strict';
const { RPCClient, createRPCError, NOREPLY } = require('ocpp-rpc');

const [url, identity, mode = 'accept', options = ''] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const opts = options.split(',').filter((o) => o !== '');
const offered = opts.filter((o) => o.startsWith('protocol=')).map((o) => o.slice('protocol='.length));
const protocols = offered.length ? offered : ['ocpp1.6'];

async function main() {
    const cli = new RPCClient({
        endpoint: url,
        identity,
        protocols,
        strictMode: protocols.length === 1 && protocols[0] === 'ocpp1.6',
        reconnect: false,
    });
    if (opts.includes('sayclose')) {
        cli.on('close', ({ code, reason }) => say({ event: 'closed', code, reason: String(reason) }));
    }
    const held = {};
    // started resolves once the start-up calls are done ("ready").
    let markStarted;
    const started = new Promise((resolve) => { markStarted = resolve; });
    // late: answers wait here until "answer" comes on stdin.
    const waiting = [];
    // reconnect: message ids of profiles left unanswered across a reconnect.
    const unanswered = [];
    let transactionId = 0;
    let profiles = 0;
    const now = () => new Date().toISOString();
    let buf = '';
    process.stdin.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i).trim();
            buf = buf.slice(i + 1);
            if (line === 'answer') waiting.splice(0).forEach((f) => f());
            if (line === 'connect') {
                cli.connect().then(() => say({ event: 'reconnected' }),
                    (err) => say({ event: 'error', message: String(err && err.message || err) }));
            }
            if (line.startsWith('late ')) {
                const status = line.slice(5);
                unanswered.splice(0).forEach((id) => cli.sendRaw(JSON.stringify(status === 'error'
                    ? [4, id, 'InternalError', 'simulated late fault', {}]
                    : [3, id, { status }])));
                say({ event: 'answered late' });
            }
            if (line === 'drop') {
                cli.close({ force: true, code: 1001 }).catch(() => {}).then(() => say({ event: 'dropped' }));
            }
            if (line === 'garbage') { cli.sendRaw('not json'); say({ event: 'sent garbage' }); }
            if (line === 'boot') boot().catch((err) => say({ event: 'error', message: String(err && err.message || err) }));
        }
    });
    // Set before connecting: a peer whose start-up never ends (its
    // connection refused or closed mid-way) still ends with its stdin.
    process.stdin.on('end', async () => {
        await cli.close({ force: true }).catch(() => {});
        process.exit(0);
    });
    process.stdin.resume();
    async function boot() {
        const ended = transactionId;
        transactionId = 0;
        await cli.call('BootNotification', { chargePointVendor: 'v2gdesk-testpeer', chargePointModel: 'ocpp-rpc-strict' });
        if (ended) {
            await cli.call('StopTransaction', { transactionId: ended, meterStop: 1600, timestamp: now(), reason: 'Reboot' });
        }
        await cli.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
        say({ event: 'booted' });
    }
    cli.handle('SetChargingProfile', ({ params, messageId }) => {
        say({ event: 'SetChargingProfile', params });
        profiles++;
        const cp = params.csChargingProfiles;
        if (cp.chargingProfilePurpose === 'TxProfile' && cp.transactionId !== transactionId) {
            return { status: 'Rejected' };
        }
        switch (mode) {
            case 'notsupported':
                return { status: 'NotSupported' };
            case 'malformed':
                cli.sendRaw(JSON.stringify([3, messageId, { status: 'Maybe' }]));
                return NOREPLY;
            case 'twice':
                held[cp.chargingProfileId] = cp;
                cli.sendRaw(JSON.stringify([3, messageId, { status: 'Accepted' }]));
                cli.sendRaw(JSON.stringify([3, messageId, { status: 'Rejected' }]));
                say({ event: 'answered twice' });
                return NOREPLY;
            case 'stall':
                if (profiles === 1) {
                    return new Promise((resolve) => waiting.push(() => {
                        say({ event: 'answering' });
                        held[cp.chargingProfileId] = cp;
                        resolve({ status: 'Accepted' });
                    }));
                }
                break;
            case 'reconnect':
                if (profiles === 1) {
                    unanswered.push(messageId);
                    // Closed after the handler returns, so the call is
                    // left unanswered rather than refused.
                    // Not before the start-up calls are done (a one-shot
                    // command sends as soon as the socket is up): a call
                    // of ours cut off would end the peer.
                    started.then(() => setTimeout(async () => {
                        await cli.close({ force: true, code: 1001 }).catch(() => {});
                        say({ event: 'dropped' });
                    }, 10));
                    return NOREPLY;
                }
                break;
            case 'reject':
                return { status: 'Rejected' };
            case 'error':
                throw createRPCError('InternalError', 'simulated charger fault');
            case 'slow':
                return new Promise(() => {}); // never answers
            case 'drop':
                setTimeout(() => cli.close({ force: true, code: 1001 }), 10);
                return new Promise(() => {}); // the socket goes before any answer
            case 'late':
                return new Promise((resolve) => waiting.push(() => {
                    say({ event: 'answering' });
                    held[params.csChargingProfiles.chargingProfileId] = params.csChargingProfiles;
                    resolve({ status: 'Accepted' });
                }));
        }
        held[params.csChargingProfiles.chargingProfileId] = params.csChargingProfiles;
        return { status: 'Accepted' };
    });
    cli.handle('ClearChargingProfile', ({ params }) => {
        const known = params.id !== undefined && held[params.id] !== undefined;
        delete held[params.id];
        say({ event: 'ClearChargingProfile', params, held: Object.keys(held).length });
        const status = known ? 'Accepted' : 'Unknown';
        if (mode === 'lateclear') {
            return new Promise((resolve) => waiting.push(() => {
                say({ event: 'answering' });
                resolve({ status });
            }));
        }
        return { status };
    });
    cli.handle(({ method }) => {
        throw createRPCError('NotImplemented', `${method} not implemented by the test peer`);
    });

    await cli.connect();
    await cli.call('BootNotification', { chargePointVendor: 'v2gdesk-testpeer', chargePointModel: 'ocpp-rpc-strict' });
    await cli.call('Heartbeat', {});
    await cli.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: now() });
    if (mode !== 'notx') {
        const tx = await cli.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 1000, timestamp: now() });
        transactionId = tx.transactionId;
        await cli.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: now() });
        await cli.call('MeterValues', {
            connectorId: 1,
            transactionId,
            meterValue: [{
                timestamp: now(),
                sampledValue: [
                    { value: '7200', measurand: 'Power.Active.Import', unit: 'W', context: 'Sample.Periodic' },
                    { value: '55', measurand: 'SoC', unit: 'Percent', location: 'EV' },
                    { value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
                ],
            }],
        });
    }
    say({ event: 'ready', transactionId });
    markStarted();
}

main().catch((err) => {
    say({ event: 'error', message: String(err && err.message || err) });
    process.exit(1);
});
