package gitconfig

// RunsByPath: on Windows the helper value keeps the name "codecommit"; git
// for Windows runs helpers through its own sh, where a drive-letter path
// would need MSYS quoting of its own.
const RunsByPath = false
