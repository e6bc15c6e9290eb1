// webserver.js: a plain HTTP server (Node's own http module, no packages),
// the peer a Modbus adapter meets when its url names a web server's port.
// It prints {"event":"listening","port":N} when it listens, as server.js
// does, and stops when its stdin closes.
const http = require('http');
const server = http.createServer((req, res) => res.end('a web page\n'));
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'listening', port: server.address().port }));
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
