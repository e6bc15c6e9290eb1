//go:build amd64

#include "textflag.h"

// AVX-512 versions of the dense kernels of dense_amd64.s, for CPUs that
// have AVX-512F (dense_amd64.go chooses). Eight doubles to a register, and
// a masked load or store for the last 1 to 7 entries instead of a scalar
// loop: the feeder blocks' rows are short (16 entries on average at 1,000
// EVs on 100 feeders), so the tails are a large part of the work.
// Only AVX-512F instructions are used.

// func dotAVX512(x, y []float64) float64
//
// Two accumulators, entry i in lane i mod 16 of them, as in dotFMA: a
// sum over a span starting at a multiple of 16 falls in the same lanes as
// the sum over the whole row (border.go relies on it).
TEXT ·dotAVX512(SB), NOSPLIT, $0-56
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	XORQ   AX, AX
	MOVQ   CX, DX
	ANDQ   $-16, DX

dot16:
	CMPQ        AX, DX
	JGE         dottail
	VMOVUPD     (SI)(AX*8), Z2
	VMOVUPD     64(SI)(AX*8), Z3
	VFMADD231PD (DI)(AX*8), Z2, Z0
	VFMADD231PD 64(DI)(AX*8), Z3, Z1
	ADDQ        $16, AX
	JMP         dot16

dottail:
	SUBQ AX, CX
	JZ   dotsum
	CMPQ CX, $8
	JLT  dotmask0
	VMOVUPD     (SI)(AX*8), Z2
	VFMADD231PD (DI)(AX*8), Z2, Z0
	ADDQ        $8, AX
	SUBQ        $8, CX
	JZ          dotsum
	MOVL        $1, BX
	SHLL        CX, BX
	DECL        BX
	KMOVW       BX, K1
	VMOVUPD.Z   (SI)(AX*8), K1, Z2
	VFMADD231PD (DI)(AX*8), Z2, K1, Z1
	JMP         dotsum

dotmask0:
	MOVL        $1, BX
	SHLL        CX, BX
	DECL        BX
	KMOVW       BX, K1
	VMOVUPD.Z   (SI)(AX*8), K1, Z2
	VFMADD231PD (DI)(AX*8), Z2, K1, Z0

dotsum:
	VADDPD        Z1, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VHADDPD       X0, X0, X0
	VZEROUPPER
	MOVSD         X0, ret+48(FP)
	RET

// func axpyAVX512(a float64, x, y []float64)
//
// Each entry is y + a x in one fused multiply-add, as in axpyFMA: the two
// give the same results.
TEXT ·axpyAVX512(SB), NOSPLIT, $0-56
	VBROADCASTSD a+0(FP), Z0
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	XORQ         AX, AX
	MOVQ         CX, DX
	ANDQ         $-16, DX

axpy16:
	CMPQ        AX, DX
	JGE         axpytail
	VMOVUPD     (DI)(AX*8), Z1
	VMOVUPD     64(DI)(AX*8), Z2
	VFMADD231PD (SI)(AX*8), Z0, Z1
	VFMADD231PD 64(SI)(AX*8), Z0, Z2
	VMOVUPD     Z1, (DI)(AX*8)
	VMOVUPD     Z2, 64(DI)(AX*8)
	ADDQ        $16, AX
	JMP         axpy16

axpytail:
	SUBQ        AX, CX
	JZ          axpydone
	CMPQ        CX, $8
	JLT         axpymask
	VMOVUPD     (DI)(AX*8), Z1
	VFMADD231PD (SI)(AX*8), Z0, Z1
	VMOVUPD     Z1, (DI)(AX*8)
	ADDQ        $8, AX
	SUBQ        $8, CX
	JZ          axpydone

axpymask:
	MOVL        $1, BX
	SHLL        CX, BX
	DECL        BX
	KMOVW       BX, K1
	VMOVUPD.Z   (DI)(AX*8), K1, Z1
	VFMADD231PD (SI)(AX*8), Z0, K1, Z1
	VMOVUPD     Z1, K1, (DI)(AX*8)

axpydone:
	VZEROUPPER
	RET

// func dot4AVX512(x0, x1, x2, x3, y []float64) (s0, s1, s2, s3 float64)
//
// One accumulator per row, entry i in lane i mod 8: a span starting at a
// multiple of 8 sums in the same lanes as the whole row.
TEXT ·dot4AVX512(SB), NOSPLIT, $0-152
	MOVQ   x0_base+0(FP), R8
	MOVQ   x1_base+24(FP), R9
	MOVQ   x2_base+48(FP), R10
	MOVQ   x3_base+72(FP), R11
	MOVQ   y_base+96(FP), DI
	MOVQ   y_len+104(FP), CX
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	XORQ   AX, AX
	MOVQ   CX, DX
	ANDQ   $-8, DX

dot48:
	CMPQ        AX, DX
	JGE         dot4tail
	VMOVUPD     (DI)(AX*8), Z4
	VFMADD231PD (R8)(AX*8), Z4, Z0
	VFMADD231PD (R9)(AX*8), Z4, Z1
	VFMADD231PD (R10)(AX*8), Z4, Z2
	VFMADD231PD (R11)(AX*8), Z4, Z3
	ADDQ        $8, AX
	JMP         dot48

dot4tail:
	SUBQ        AX, CX
	JZ          dot4sum
	MOVL        $1, BX
	SHLL        CX, BX
	DECL        BX
	KMOVW       BX, K1
	VMOVUPD.Z   (DI)(AX*8), K1, Z4
	VFMADD231PD (R8)(AX*8), Z4, K1, Z0
	VFMADD231PD (R9)(AX*8), Z4, K1, Z1
	VFMADD231PD (R10)(AX*8), Z4, K1, Z2
	VFMADD231PD (R11)(AX*8), Z4, K1, Z3

dot4sum:
	// Halves, then pairs within each half across two rows, then the
	// halves of those: [s0 s1 s2 s3] in one register, stored at once.
	VEXTRACTF64X4 $1, Z0, Y4
	VADDPD        Y4, Y0, Y0
	VEXTRACTF64X4 $1, Z1, Y5
	VADDPD        Y5, Y1, Y1
	VEXTRACTF64X4 $1, Z2, Y6
	VADDPD        Y6, Y2, Y2
	VEXTRACTF64X4 $1, Z3, Y7
	VADDPD        Y7, Y3, Y3
	VHADDPD       Y1, Y0, Y0
	VHADDPD       Y3, Y2, Y2
	VPERM2F128    $0x20, Y2, Y0, Y4
	VPERM2F128    $0x31, Y2, Y0, Y5
	VADDPD        Y5, Y4, Y4
	VMOVUPD       Y4, s0+120(FP)
	VZEROUPPER
	RET

// func gemm4x8AVX512(a []float64, ars, aks int, b []float64, bks, k int, c []float64, cs int)
//
// As gemm4x8FMA, with each row of the 4 x 8 block of c in one register.
// Four accumulators would leave the fused multiply-adds waiting on each
// other's latency, so the even steps of the sum go to four and the odd
// ones to four more, added at the end; the entries of a are broadcast
// from memory by the multiply-adds themselves.
TEXT ·gemm4x8AVX512(SB), NOSPLIT, $0-112
	MOVQ   a_base+0(FP), SI
	MOVQ   ars+24(FP), R10
	SHLQ   $3, R10
	MOVQ   aks+32(FP), R12
	SHLQ   $3, R12
	MOVQ   b_base+40(FP), DI
	MOVQ   bks+64(FP), R13
	SHLQ   $3, R13
	MOVQ   k+72(FP), CX
	MOVQ   c_base+80(FP), BX
	MOVQ   cs+104(FP), R9
	SHLQ   $3, R9
	LEAQ   (R10)(R10*2), R11
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7

gemm2:
	CMPQ             CX, $2
	JLT              gemm1
	VMOVUPD          (DI), Z8
	VMOVUPD          (DI)(R13*1), Z9
	VFMADD231PD.BCST (SI), Z8, Z0
	VFMADD231PD.BCST (SI)(R10*1), Z8, Z1
	VFMADD231PD.BCST (SI)(R10*2), Z8, Z2
	VFMADD231PD.BCST (SI)(R11*1), Z8, Z3
	ADDQ             R12, SI
	VFMADD231PD.BCST (SI), Z9, Z4
	VFMADD231PD.BCST (SI)(R10*1), Z9, Z5
	VFMADD231PD.BCST (SI)(R10*2), Z9, Z6
	VFMADD231PD.BCST (SI)(R11*1), Z9, Z7
	ADDQ             R12, SI
	LEAQ             (DI)(R13*2), DI
	SUBQ             $2, CX
	JMP              gemm2

gemm1:
	TESTQ            CX, CX
	JZ               gemmdone
	VMOVUPD          (DI), Z8
	VFMADD231PD.BCST (SI), Z8, Z0
	VFMADD231PD.BCST (SI)(R10*1), Z8, Z1
	VFMADD231PD.BCST (SI)(R10*2), Z8, Z2
	VFMADD231PD.BCST (SI)(R11*1), Z8, Z3

gemmdone:
	VADDPD  Z4, Z0, Z0
	VADDPD  Z5, Z1, Z1
	VADDPD  Z6, Z2, Z2
	VADDPD  Z7, Z3, Z3
	VMOVUPD (BX), Z8
	VSUBPD  Z0, Z8, Z8
	VMOVUPD Z8, (BX)
	ADDQ    R9, BX
	VMOVUPD (BX), Z8
	VSUBPD  Z1, Z8, Z8
	VMOVUPD Z8, (BX)
	ADDQ    R9, BX
	VMOVUPD (BX), Z8
	VSUBPD  Z2, Z8, Z8
	VMOVUPD Z8, (BX)
	ADDQ    R9, BX
	VMOVUPD (BX), Z8
	VSUBPD  Z3, Z8, Z8
	VMOVUPD Z8, (BX)
	VZEROUPPER
	RET
