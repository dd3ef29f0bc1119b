//! Generates the schedd.v1 types, clients and servers, plus the file descriptor set that
//! gRPC reflection serves.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    tonic_prost_build::configure()
        .file_descriptor_set_path(out.join("schedd_v1_descriptor.bin"))
        .compile_protos(&["schedd/v1/schedd.proto"], &["."])?;
    println!("cargo:rerun-if-changed=schedd/v1/schedd.proto");
    Ok(())
}
