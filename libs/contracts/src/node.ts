/**
 * `@dingrelay/contracts/node`: the parts of the API client that need Node's file system. `@dingrelay/contracts/client`
 * stays free of Node built-ins so a browser bundle (dingrelay's console) can load it.
 */
export { type WriteExportOptions, writeExportToFile } from './api-client/write-export-to-file.js';
