// dynalite (DynamoDB's API, in memory) on 127.0.0.1 for the tests, the local run and the benchmark.
// Usage: node server.js [port]   (0 or none: any free port). Prints "listening <port>" once it answers.
// It exits when its standard input closes, that is when the JVM that started it is gone, so a test
// run killed without its shutdown hook still leaves no server behind.
'use strict'
const dynalite = require('dynalite')

const port = Number(process.argv[2] || 0)
// Tables are ACTIVE at once: each test creates its own, and nothing here tests table lifecycles.
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(port, '127.0.0.1', () => {
  console.log('listening ' + server.address().port)
})
server.on('error', (err) => {
  console.error('dynalite: ' + err.message)
  process.exit(1)
})
// A client that gives up on a request (an SDK call timeout) aborts its connection; dynalite's request
// handler rethrows that socket error, which would end the whole server. DynamoDB drops only that request.
process.on('uncaughtException', (err) => {
  if (err && (err.code === 'ECONNRESET' || err.message === 'aborted')) {
    return
  }
  console.error('dynalite: ' + (err && err.stack ? err.stack : err))
  process.exit(1)
})
process.stdin.on('end', () => process.exit(0))
process.stdin.on('close', () => process.exit(0))
process.stdin.resume()
