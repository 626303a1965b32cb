/**
 * permessage-deflate (RFC 7692) on the JDK's {@code java.util.zip}: {@link
 * dev.parley.protocol.deflate.PerMessageDeflate} negotiates it in the opening handshake, {@link
 * dev.parley.protocol.deflate.MessageDeflater} compresses outgoing messages and {@link
 * dev.parley.protocol.deflate.MessageInflater} decompresses incoming ones within the message size
 * limit. {@link dev.parley.protocol.deflate.DeflateConfig} is what an endpoint wants, {@link
 * dev.parley.protocol.deflate.DeflateParameters} what both ends agreed on.
 */
package dev.parley.protocol.deflate;
